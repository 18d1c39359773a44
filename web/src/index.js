// @murmur/client: Murmur's browser client. See web/README.md.
export { loadCore } from './core.js';
export { createClientNode, Provider, ProviderError, CLIENT_PROTOCOL, PKI_PROTOCOL, Type, Code, fetchDescriptors, nodeKeyOf } from './provider.js';
export { Session, fromHex } from './session.js';
export { openIdentity, resetIdentity } from './identity.js';
