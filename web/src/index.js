// @murmur/client: Murmur's browser client. See web/README.md.
export { loadCore } from './core.js';
export { createClientNode, Provider, ProviderError, CLIENT_PROTOCOL, PKI_PROTOCOL, Type, Code, SpendCode, fetchDescriptors, nodeKeyOf } from './provider.js';
export { issuerKeys, buyTickets, resumePurchase, checkPublished, encodeCheque, MarketError, MARKET_PROTOCOL, MAX_BATCH } from './market.js';
export { newRequest, restoreRequest, verifyTicket, decodeTicket, TICKET_SIZE } from './tickets.js';
export { TicketWallet, WalletError, eip1193Signer, localSigner } from './wallet.js';
export { Session, expDelay } from './session.js';
export { newPacket } from './packet.js';
export { keyChain } from './keychain.js';
export { fromHex, toHex } from './hex.js';
export { openIdentity, resetIdentity } from './identity.js';
export { Conversations, Delivery, indexedDBRecords, memoryRecords } from './conversations.js';
export { Messenger } from './messenger.js';
