// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// IRelayRegistryRelayView is an auto generated low-level Go binding around an user-defined struct.
type IRelayRegistryRelayView struct {
	Operator   common.Address
	Roles      uint8
	Status     uint8
	Stake      *big.Int
	UnlockAt   uint64
	NodeKey    [32]byte
	Multiaddrs []byte
}

// ITicketIssuerKey is an auto generated low-level Go binding around an user-defined struct.
type ITicketIssuerKey struct {
	Value     *big.Int
	ExpiresAt uint64
	PublicKey []byte
}

// ITicketIssuerRedemptionRequest is an auto generated low-level Go binding around an user-defined struct.
type ITicketIssuerRedemptionRequest struct {
	Issuer           common.Address
	Provider         common.Address
	KeyEpoch         uint64
	SerialsHash      [32]byte
	CumulativeAmount *big.Int
}

// IVaultCheque is an auto generated low-level Go binding around an user-defined struct.
type IVaultCheque struct {
	Payer            common.Address
	Payee            common.Address
	CumulativeAmount *big.Int
}

// IVaultLotteryTicket is an auto generated low-level Go binding around an user-defined struct.
type IVaultLotteryTicket struct {
	Payer      common.Address
	Payee      common.Address
	FaceValue  *big.Int
	WinProb    *big.Int
	Nonce      uint64
	Commitment [32]byte
	ExpiresAt  uint64
}

// RelayRegistryMetaData contains all meta data concerning the RelayRegistry contract.
var RelayRegistryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"minStake_\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"unbondingDelay_\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"epochLength_\",\"type\":\"uint64\"},{\"internalType\":\"address[]\",\"name\":\"enforcers_\",\"type\":\"address[]\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"MAX_MULTIADDRS_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ROLE_ISSUER\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ROLE_MIX\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ROLE_PROVIDER\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"activeCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"offset\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"limit\",\"type\":\"uint256\"}],\"name\":\"activeRelays\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"roles\",\"type\":\"uint8\"},{\"internalType\":\"enumIRelayRegistry.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"uint128\",\"name\":\"stake\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"nodeKey\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"multiaddrs\",\"type\":\"bytes\"}],\"internalType\":\"structIRelayRegistry.RelayView[]\",\"name\":\"page\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"addStake\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"announceExit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentEpoch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"epochLength\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"epochStart\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesis\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"isEnforcer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"jail\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minStake\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"nodeKey\",\"type\":\"bytes32\"}],\"name\":\"operatorOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"peerId\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"roles\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"nodeKey\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"multiaddrs\",\"type\":\"bytes\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"relay\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"roles\",\"type\":\"uint8\"},{\"internalType\":\"enumIRelayRegistry.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"uint128\",\"name\":\"stake\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"nodeKey\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"multiaddrs\",\"type\":\"bytes\"}],\"internalType\":\"structIRelayRegistry.RelayView\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"multiaddrs\",\"type\":\"bytes\"}],\"name\":\"setMultiaddrs\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"}],\"name\":\"slash\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"stakeOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unbondingDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"}],\"name\":\"ExitAnnounced\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"enforcer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"}],\"name\":\"Jailed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"multiaddrs\",\"type\":\"bytes\"}],\"name\":\"MultiaddrsUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"roles\",\"type\":\"uint8\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"nodeKey\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"multiaddrs\",\"type\":\"bytes\"}],\"name\":\"Registered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"enforcer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Slashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"StakeAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"ExitNotAnnounced\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidNodeKey\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidParameter\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"roles\",\"type\":\"uint8\"}],\"name\":\"InvalidRoles\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"MultiaddrsTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"nodeKey\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"NodeKeyTaken\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"enumIRelayRegistry.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"NotActive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotEnforcer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"NotRegistered\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"have\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"need\",\"type\":\"uint256\"}],\"name\":\"StakeBelowMinimum\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"StakeOverflow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"nowTime\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"}],\"name\":\"StillUnbonding\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"}]",
	ID:  "03d0908fc0eb2b0fa22a7644b3cc3074ba",
	Bin: "0x610100604052348015610010575f5ffd5b5060405161282338038061282383398101604081905261002f9161013a565b83158061004257506001600160801b0384115b8061005457506001600160401b038216155b1561007257604051630309cb8760e51b815260040160405180910390fd5b60808490526001600160401b0380841660a05282811660e052421660c0525f5b81518110156100eb57600160025f8484815181106100b2576100b261022f565b6020908102919091018101516001600160a01b031682528101919091526040015f20805460ff1916911515919091179055600101610092565b5050505050610243565b80516001600160401b038116811461010b575f5ffd5b919050565b634e487b7160e01b5f52604160045260245ffd5b80516001600160a01b038116811461010b575f5ffd5b5f5f5f5f6080858703121561014d575f5ffd5b8451935061015d602086016100f5565b925061016b604086016100f5565b60608601519092506001600160401b03811115610186575f5ffd5b8501601f81018713610196575f5ffd5b80516001600160401b038111156101af576101af610110565b604051600582901b90603f8201601f191681016001600160401b03811182821017156101dd576101dd610110565b60405291825260208184018101929081018a8411156101fa575f5ffd5b6020850194505b838510156102205761021285610124565b815260209485019401610201565b50969995985093965050505050565b634e487b7160e01b5f52603260045260245ffd5b60805160a05160c05160e0516125756102ae5f395f81816102c101528181610beb015261103c01525f81816104b601528181610c0f015261106701525f818161051b0152818161061c0152610d8501525f81816102050152818161120c015261126001526125755ff3fe608060405260043610610183575f3560e01c806376671808116100d1578063a46ebbfc1161007c578063bfac599011610057578063bfac5990146104eb578063db7dd35a1461050a578063e017b95a1461053d575f5ffd5b8063a46ebbfc14610491578063a7f0b3de146104a5578063b5782e2a146104d8575f5ffd5b80639bcbea52116100ac5780639bcbea52146104275780639fbec1ff14610446578063a158750914610472575f5ffd5b806376671808146103ea578063794d3850146103fe5780637e8b836d14610412575f5ffd5b80634331ed1f116101315780635bdc6f321161010c5780635bdc6f321461030457806363ea4ab21461035857806373b6656f146103be575f5ffd5b80634331ed1f1461029c57806357d775f8146102b05780635a627dbc146102fc575f5ffd5b8063375b3c0a11610161578063375b3c0a146101f45780633ccfd60b146102355780634262336014610249575f5ffd5b806318ff7536146101875780631af0ab1d1461019d5780631b7acc09146101c8575b5f5ffd5b348015610192575f5ffd5b5061019b61055c565b005b3480156101a8575f5ffd5b506101b1600181565b60405160ff90911681526020015b60405180910390f35b3480156101d3575f5ffd5b506101e76101e2366004611dd9565b6106e9565b6040516101bf9190611e3e565b3480156101ff575f5ffd5b506102277f000000000000000000000000000000000000000000000000000000000000000081565b6040519081526020016101bf565b348015610240575f5ffd5b5061019b6107ac565b348015610254575f5ffd5b50610227610263366004611dd9565b73ffffffffffffffffffffffffffffffffffffffff165f908152602081905260409020546fffffffffffffffffffffffffffffffff1690565b3480156102a7575f5ffd5b50600354610227565b3480156102bb575f5ffd5b506102e37f000000000000000000000000000000000000000000000000000000000000000081565b60405167ffffffffffffffff90911681526020016101bf565b61019b6109ea565b34801561030f575f5ffd5b5061034861031e366004611dd9565b73ffffffffffffffffffffffffffffffffffffffff165f9081526002602052604090205460ff1690565b60405190151581526020016101bf565b348015610363575f5ffd5b50610399610372366004611e50565b5f9081526001602052604090205473ffffffffffffffffffffffffffffffffffffffff1690565b60405173ffffffffffffffffffffffffffffffffffffffff90911681526020016101bf565b3480156103c9575f5ffd5b506103dd6103d8366004611dd9565b610b81565b6040516101bf9190611f6b565b3480156103f5575f5ffd5b506102e3610be8565b348015610409575f5ffd5b506101b1600481565b34801561041d575f5ffd5b5061022761020081565b348015610432575f5ffd5b5061019b610441366004611dd9565b610c43565b348015610451575f5ffd5b50610465610460366004611f7d565b610ed4565b6040516101bf9190611f9d565b34801561047d575f5ffd5b506102e361048c36600461201e565b611036565b34801561049c575f5ffd5b506101b1600281565b3480156104b0575f5ffd5b506102e37f000000000000000000000000000000000000000000000000000000000000000081565b61019b6104e636600461208a565b61108b565b3480156104f6575f5ffd5b506102276105053660046120e7565b61152c565b348015610515575f5ffd5b506102e37f000000000000000000000000000000000000000000000000000000000000000081565b348015610548575f5ffd5b5061019b610557366004612120565b61168c565b335f908152602081905260409020600181547d010000000000000000000000000000000000000000000000000000000000900460ff1660038111156105a3576105a3611e67565b1461060d5780546040517fc0c11c600000000000000000000000000000000000000000000000000000000081526106049133917d01000000000000000000000000000000000000000000000000000000000090910460ff169060040161215f565b60405180910390fd5b610616816117b7565b5f6106417f0000000000000000000000000000000000000000000000000000000000000000426121b6565b825467ffffffffffffffff821670010000000000000000000000000000000081027fffff00ffffffffff0000000000000000ffffffffffffffffffffffffffffffff909216919091177d02000000000000000000000000000000000000000000000000000000000017845560405190815290915033907f2c49e91f2e05b2ee68ce307c94f0de9123d1365b66f6b230a459d199e7c4d61b906020015b60405180910390a25050565b73ffffffffffffffffffffffffffffffffffffffff81165f9081526020819052604090206001015460609080610763576040517fbfc6c33700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff84166004820152602401610604565b6040517e24080112200000000000000000000000000000000000000000000000000000602082015260268101829052604601604051602081830303815290604052915050919050565b6107b46119bc565b335f908152602081905260408120805490917d01000000000000000000000000000000000000000000000000000000000090910460ff16908160038111156107fe576107fe611e67565b03610837576040517fbfc6c337000000000000000000000000000000000000000000000000000000008152336004820152602401610604565b600181600381111561084b5761084b611e67565b03610884576040517f69203eb3000000000000000000000000000000000000000000000000000000008152336004820152602401610604565b8154700100000000000000000000000000000000900467ffffffffffffffff164210156109095781546040517f0d3a95a300000000000000000000000000000000000000000000000000000000815267ffffffffffffffff42811660048301527001000000000000000000000000000000009092049091166024820152604401610604565b81546001808401545f9081526020828152604080832080547fffffffffffffffffffffffff000000000000000000000000000000000000000016905533835290829052812080547fffff0000000000000000000000000000000000000000000000000000000000001681559182018190556fffffffffffffffffffffffffffffffff9092169161099c6002830182611d5f565b505060405181815233907f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d59060200160405180910390a26109dd3382611a42565b5050506109e8611afc565b565b345f03610a23576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f9081526020819052604081209081547d010000000000000000000000000000000000000000000000000000000000900460ff166003811115610a6957610a69611e67565b03610aa2576040517fbfc6c337000000000000000000000000000000000000000000000000000000008152336004820152602401610604565b80545f90610ac39034906fffffffffffffffffffffffffffffffff166121d6565b90506fffffffffffffffffffffffffffffffff811115610b0f576040517fe0dfd2e900000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b81547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff8216178255604080513481526020810183905233917f270d6dd254edd1d985c81cf7861b8f28fb06b6d719df04d90464034d4341244091016106dd565b610bd96040805160e0810182525f80825260208201819052909182019081526020015f6fffffffffffffffffffffffffffffffff1681526020015f67ffffffffffffffff1681526020015f8152602001606081525090565b610be282611b26565b92915050565b5f7f0000000000000000000000000000000000000000000000000000000000000000610c347f0000000000000000000000000000000000000000000000000000000000000000426121e9565b610c3e9190612209565b905090565b335f9081526002602052604090205460ff16610c8d576040517f5c765c70000000000000000000000000000000000000000000000000000000008152336004820152602401610604565b73ffffffffffffffffffffffffffffffffffffffff81165f9081526020819052604081209081547d010000000000000000000000000000000000000000000000000000000000900460ff166003811115610ce957610ce9611e67565b03610d38576040517fbfc6c33700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff83166004820152602401610604565b600181547d010000000000000000000000000000000000000000000000000000000000900460ff166003811115610d7157610d71611e67565b03610d7f57610d7f816117b7565b5f610daa7f0000000000000000000000000000000000000000000000000000000000000000426121b6565b825490915067ffffffffffffffff70010000000000000000000000000000000090910481169082161115610e1e5781547fffffffffffffffff0000000000000000ffffffffffffffffffffffffffffffff1670010000000000000000000000000000000067ffffffffffffffff8316021782555b81547fffff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffff167d030000000000000000000000000000000000000000000000000000000000178083556040805170010000000000000000000000000000000090920467ffffffffffffffff16825251339173ffffffffffffffffffffffffffffffffffffffff8616917f46fc3bd0a7f2fe66a8de3d61171cf78379b9490a9de42bdd4632810a500061f49181900360200190a3505050565b600354606090808410610ee75750610be2565b5f83610ef3868461225d565b10610f0757610f0284866121d6565b610f09565b815b9050610f15858261225d565b67ffffffffffffffff811115610f2d57610f2d612270565b604051908082528060200260200182016040528015610fb657816020015b610fa36040805160e0810182525f80825260208201819052909182019081526020015f6fffffffffffffffffffffffffffffffff1681526020015f67ffffffffffffffff1681526020015f8152602001606081525090565b815260200190600190039081610f4b5790505b509250845b8181101561102d57610fff60038281548110610fd957610fd961229d565b5f9182526020909120015473ffffffffffffffffffffffffffffffffffffffff16611b26565b8461100a888461225d565b8151811061101a5761101a61229d565b6020908102919091010152600101610fbb565b50505092915050565b5f6110617f0000000000000000000000000000000000000000000000000000000000000000836122ca565b610be2907f00000000000000000000000000000000000000000000000000000000000000006121b6565b335f9081526020819052604081209081547d010000000000000000000000000000000000000000000000000000000000900460ff1660038111156110d1576110d1611e67565b1461110a576040517f45ed80e9000000000000000000000000000000000000000000000000000000008152336004820152602401610604565b60ff8516158061111c575060f8851615155b15611158576040517facd371d600000000000000000000000000000000000000000000000000000000815260ff86166004820152602401610604565b8361118f576040517f9004e74a00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f8481526001602052604090205473ffffffffffffffffffffffffffffffffffffffff16801561120a576040517f3c5795f50000000000000000000000000000000000000000000000000000000081526004810186905273ffffffffffffffffffffffffffffffffffffffff82166024820152604401610604565b7f000000000000000000000000000000000000000000000000000000000000000034101561128c576040517f78e030db0000000000000000000000000000000000000000000000000000000081523460048201527f00000000000000000000000000000000000000000000000000000000000000006024820152604401610604565b6fffffffffffffffffffffffffffffffff3411156112d6576040517fe0dfd2e900000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b61020083111561131d576040517f60e57c66000000000000000000000000000000000000000000000000000000008152600481018490526102006024820152604401610604565b60038054600180820183555f8390527fc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b90910180547fffffffffffffffffffffffff0000000000000000000000000000000000000000163317905583546fffffffffffffffffffffffffffffffff34167fffffffffffffffffffffffffffffffff00000000000000000000000000000000821681178655925460ff8a167c0100000000000000000000000000000000000000000000000000000000027fffff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffff1663ffffffff9091167801000000000000000000000000000000000000000000000000027fffffffff00000000ffffffffffffffff00000000000000000000000000000000909216909317177fffff0000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff16919091177d010000000000000000000000000000000000000000000000000000000000178355820185905582156114aa57600282016114a8848683612390565b505b5f858152600160205260409081902080547fffffffffffffffffffffffff0000000000000000000000000000000000000000163390811790915590518691907f93364388384b3aadc37fd4eb00501783ec53100131553b85ab1ea022458641d59061151c908a9034908a908a906124ed565b60405180910390a3505050505050565b5f6115356119bc565b335f9081526002602052604090205460ff1661157f576040517f5c765c70000000000000000000000000000000000000000000000000000000008152336004820152602401610604565b73ffffffffffffffffffffffffffffffffffffffff84165f90815260208190526040902080546fffffffffffffffffffffffffffffffff168085106115c457806115c6565b845b9250825f036115d9575f9250505061167d565b6115e3838261225d565b82547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff9190911617825560405183815273ffffffffffffffffffffffffffffffffffffffff8581169133918916907f63e496d8c5b3221f7dd4cce5876af7039fe780c842640bb037da37535d92b9e39060200160405180910390a461167a8484611a42565b50505b611685611afc565b9392505050565b335f9081526020819052604081209081547d010000000000000000000000000000000000000000000000000000000000900460ff1660038111156116d2576116d2611e67565b0361170b576040517fbfc6c337000000000000000000000000000000000000000000000000000000008152336004820152602401610604565b610200821115611752576040517f60e57c66000000000000000000000000000000000000000000000000000000008152600481018390526102006024820152604401610604565b60028101611761838583612390565b503373ffffffffffffffffffffffffffffffffffffffff167f218e12e1ea49d4ec9d92e1f750c48b3e1c7d278fe14bd3a3d2d8227fb37f715b84846040516117aa929190612519565b60405180910390a2505050565b80545f906117e9906001907801000000000000000000000000000000000000000000000000900463ffffffff1661252c565b63ffffffff1690505f6001600380549050611804919061225d565b905080821461192a575f600382815481106118215761182161229d565b5f918252602090912001546003805473ffffffffffffffffffffffffffffffffffffffff909216925082918590811061185c5761185c61229d565b5f91825260209091200180547fffffffffffffffffffffffff00000000000000000000000000000000000000001673ffffffffffffffffffffffffffffffffffffffff929092169190911790556118b48360016121d6565b73ffffffffffffffffffffffffffffffffffffffff9091165f908152602081905260409020805463ffffffff929092167801000000000000000000000000000000000000000000000000027fffffffff00000000ffffffffffffffffffffffffffffffffffffffffffffffff9092169190911790555b600380548061193b5761193b612548565b5f8281526020902081017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff90810180547fffffffffffffffffffffffff0000000000000000000000000000000000000000169055019055505080547fffffffff00000000ffffffffffffffffffffffffffffffffffffffffffffffff169055565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c15611a15576040517f3ee5aeb500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6109e860017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90611d58565b5f8273ffffffffffffffffffffffffffffffffffffffff16826040515f6040518083038185875af1925050503d805f8114611a98576040519150601f19603f3d011682016040523d82523d5f602084013e611a9d565b606091505b5050905080611af7576040517f1c43b97600000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8416600482015260248101839052604401610604565b505050565b6109e85f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00611a3c565b611b7e6040805160e0810182525f80825260208201819052909182019081526020015f6fffffffffffffffffffffffffffffffff1681526020015f67ffffffffffffffff1681526020015f8152602001606081525090565b73ffffffffffffffffffffffffffffffffffffffff82165f9081526020819052604081209081547d010000000000000000000000000000000000000000000000000000000000900460ff166003811115611bda57611bda611e67565b14611be55782611be7565b5f5b73ffffffffffffffffffffffffffffffffffffffff168252805460ff7c010000000000000000000000000000000000000000000000000000000082048116602085015260408401917d0100000000000000000000000000000000000000000000000000000000009004166003811115611c6257611c62611e67565b90816003811115611c7557611c75611e67565b90525080546fffffffffffffffffffffffffffffffff81166060840152700100000000000000000000000000000000900467ffffffffffffffff166080830152600181015460a0830152600281018054611cce906122f4565b80601f0160208091040260200160405190810160405280929190818152602001828054611cfa906122f4565b8015611d455780601f10611d1c57610100808354040283529160200191611d45565b820191905f5260205f20905b815481529060010190602001808311611d2857829003601f168201915b50505050508260c0018190525050919050565b80825d5050565b508054611d6b906122f4565b5f825580601f10611d7a575050565b601f0160209004905f5260205f2090810190611d969190611d99565b50565b5b80821115611dad575f8155600101611d9a565b5090565b803573ffffffffffffffffffffffffffffffffffffffff81168114611dd4575f5ffd5b919050565b5f60208284031215611de9575f5ffd5b61168582611db1565b5f81518084528060208401602086015e5f6020828601015260207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011685010191505092915050565b602081525f6116856020830184611df2565b5f60208284031215611e60575f5ffd5b5035919050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b60048110611ec9577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b9052565b73ffffffffffffffffffffffffffffffffffffffff815116825260ff60208201511660208301525f6040820151611f076040850182611e94565b506fffffffffffffffffffffffffffffffff60608301511660608401526080820151611f3f608085018267ffffffffffffffff169052565b5060a082015160a084015260c082015160e060c0850152611f6360e0850182611df2565b949350505050565b602081525f6116856020830184611ecd565b5f5f60408385031215611f8e575f5ffd5b50508035926020909101359150565b5f602082016020835280845180835260408501915060408160051b8601019250602086015f5b82811015612012577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc0878603018452611ffd858351611ecd565b94506020938401939190910190600101611fc3565b50929695505050505050565b5f6020828403121561202e575f5ffd5b813567ffffffffffffffff81168114611685575f5ffd5b5f5f83601f840112612055575f5ffd5b50813567ffffffffffffffff81111561206c575f5ffd5b602083019150836020828501011115612083575f5ffd5b9250929050565b5f5f5f5f6060858703121561209d575f5ffd5b843560ff811681146120ad575f5ffd5b935060208501359250604085013567ffffffffffffffff8111156120cf575f5ffd5b6120db87828801612045565b95989497509550505050565b5f5f5f606084860312156120f9575f5ffd5b61210284611db1565b92506020840135915061211760408501611db1565b90509250925092565b5f5f60208385031215612131575f5ffd5b823567ffffffffffffffff811115612147575f5ffd5b61215385828601612045565b90969095509350505050565b73ffffffffffffffffffffffffffffffffffffffff83168152604081016116856020830184611e94565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b67ffffffffffffffff8181168382160190811115610be257610be2612189565b80820180821115610be257610be2612189565b67ffffffffffffffff8281168282160390811115610be257610be2612189565b5f67ffffffffffffffff831680612247577f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b8067ffffffffffffffff84160491505092915050565b81810381811115610be257610be2612189565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b67ffffffffffffffff81811683821602908116908181146122ed576122ed612189565b5092915050565b600181811c9082168061230857607f821691505b60208210810361233f577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b50919050565b601f821115611af757805f5260205f20601f840160051c8101602085101561236a5750805b601f840160051c820191505b81811015612389575f8155600101612376565b5050505050565b67ffffffffffffffff8311156123a8576123a8612270565b6123bc836123b683546122f4565b83612345565b5f601f84116001811461240c575f85156123d65750838201355b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600387901b1c1916600186901b178355612389565b5f838152602081207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08716915b828110156124595786850135825560209485019460019092019101612439565b5086821015612494577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff60f88860031b161c19848701351681555b505060018560011b0183555050505050565b81835281816020850137505f602082840101525f60207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f840116840101905092915050565b60ff85168152836020820152606060408201525f61250f6060830184866124a6565b9695505050505050565b602081525f611f636020830184866124a6565b63ffffffff8281168282160390811115610be257610be2612189565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603160045260245ffd",
}

// RelayRegistry is an auto generated Go binding around an Ethereum contract.
type RelayRegistry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *RelayRegistry) GetABI() abi.ABI {
	return c.abi
}

// NewRelayRegistry creates a new instance of RelayRegistry.
func NewRelayRegistry() *RelayRegistry {
	parsed, err := RelayRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &RelayRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *RelayRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint256 minStake_, uint64 unbondingDelay_, uint64 epochLength_, address[] enforcers_) returns()
func (relayRegistry *RelayRegistry) PackConstructor(minStake_ *big.Int, unbondingDelay_ uint64, epochLength_ uint64, enforcers_ []common.Address) []byte {
	enc, err := relayRegistry.abi.Pack("", minStake_, unbondingDelay_, epochLength_, enforcers_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXMULTIADDRSLENGTH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7e8b836d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_MULTIADDRS_LENGTH() view returns(uint256)
func (relayRegistry *RelayRegistry) PackMAXMULTIADDRSLENGTH() []byte {
	enc, err := relayRegistry.abi.Pack("MAX_MULTIADDRS_LENGTH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXMULTIADDRSLENGTH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7e8b836d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_MULTIADDRS_LENGTH() view returns(uint256)
func (relayRegistry *RelayRegistry) TryPackMAXMULTIADDRSLENGTH() ([]byte, error) {
	return relayRegistry.abi.Pack("MAX_MULTIADDRS_LENGTH")
}

// UnpackMAXMULTIADDRSLENGTH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7e8b836d.
//
// Solidity: function MAX_MULTIADDRS_LENGTH() view returns(uint256)
func (relayRegistry *RelayRegistry) UnpackMAXMULTIADDRSLENGTH(data []byte) (*big.Int, error) {
	out, err := relayRegistry.abi.Unpack("MAX_MULTIADDRS_LENGTH", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackROLEISSUER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x794d3850.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ROLE_ISSUER() view returns(uint8)
func (relayRegistry *RelayRegistry) PackROLEISSUER() []byte {
	enc, err := relayRegistry.abi.Pack("ROLE_ISSUER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackROLEISSUER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x794d3850.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ROLE_ISSUER() view returns(uint8)
func (relayRegistry *RelayRegistry) TryPackROLEISSUER() ([]byte, error) {
	return relayRegistry.abi.Pack("ROLE_ISSUER")
}

// UnpackROLEISSUER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x794d3850.
//
// Solidity: function ROLE_ISSUER() view returns(uint8)
func (relayRegistry *RelayRegistry) UnpackROLEISSUER(data []byte) (uint8, error) {
	out, err := relayRegistry.abi.Unpack("ROLE_ISSUER", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackROLEMIX is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa46ebbfc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ROLE_MIX() view returns(uint8)
func (relayRegistry *RelayRegistry) PackROLEMIX() []byte {
	enc, err := relayRegistry.abi.Pack("ROLE_MIX")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackROLEMIX is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa46ebbfc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ROLE_MIX() view returns(uint8)
func (relayRegistry *RelayRegistry) TryPackROLEMIX() ([]byte, error) {
	return relayRegistry.abi.Pack("ROLE_MIX")
}

// UnpackROLEMIX is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa46ebbfc.
//
// Solidity: function ROLE_MIX() view returns(uint8)
func (relayRegistry *RelayRegistry) UnpackROLEMIX(data []byte) (uint8, error) {
	out, err := relayRegistry.abi.Unpack("ROLE_MIX", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackROLEPROVIDER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1af0ab1d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ROLE_PROVIDER() view returns(uint8)
func (relayRegistry *RelayRegistry) PackROLEPROVIDER() []byte {
	enc, err := relayRegistry.abi.Pack("ROLE_PROVIDER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackROLEPROVIDER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1af0ab1d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ROLE_PROVIDER() view returns(uint8)
func (relayRegistry *RelayRegistry) TryPackROLEPROVIDER() ([]byte, error) {
	return relayRegistry.abi.Pack("ROLE_PROVIDER")
}

// UnpackROLEPROVIDER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1af0ab1d.
//
// Solidity: function ROLE_PROVIDER() view returns(uint8)
func (relayRegistry *RelayRegistry) UnpackROLEPROVIDER(data []byte) (uint8, error) {
	out, err := relayRegistry.abi.Unpack("ROLE_PROVIDER", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackActiveCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4331ed1f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function activeCount() view returns(uint256)
func (relayRegistry *RelayRegistry) PackActiveCount() []byte {
	enc, err := relayRegistry.abi.Pack("activeCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackActiveCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4331ed1f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function activeCount() view returns(uint256)
func (relayRegistry *RelayRegistry) TryPackActiveCount() ([]byte, error) {
	return relayRegistry.abi.Pack("activeCount")
}

// UnpackActiveCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4331ed1f.
//
// Solidity: function activeCount() view returns(uint256)
func (relayRegistry *RelayRegistry) UnpackActiveCount(data []byte) (*big.Int, error) {
	out, err := relayRegistry.abi.Unpack("activeCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackActiveRelays is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9fbec1ff.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function activeRelays(uint256 offset, uint256 limit) view returns((address,uint8,uint8,uint128,uint64,bytes32,bytes)[] page)
func (relayRegistry *RelayRegistry) PackActiveRelays(offset *big.Int, limit *big.Int) []byte {
	enc, err := relayRegistry.abi.Pack("activeRelays", offset, limit)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackActiveRelays is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9fbec1ff.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function activeRelays(uint256 offset, uint256 limit) view returns((address,uint8,uint8,uint128,uint64,bytes32,bytes)[] page)
func (relayRegistry *RelayRegistry) TryPackActiveRelays(offset *big.Int, limit *big.Int) ([]byte, error) {
	return relayRegistry.abi.Pack("activeRelays", offset, limit)
}

// UnpackActiveRelays is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9fbec1ff.
//
// Solidity: function activeRelays(uint256 offset, uint256 limit) view returns((address,uint8,uint8,uint128,uint64,bytes32,bytes)[] page)
func (relayRegistry *RelayRegistry) UnpackActiveRelays(data []byte) ([]IRelayRegistryRelayView, error) {
	out, err := relayRegistry.abi.Unpack("activeRelays", data)
	if err != nil {
		return *new([]IRelayRegistryRelayView), err
	}
	out0 := *abi.ConvertType(out[0], new([]IRelayRegistryRelayView)).(*[]IRelayRegistryRelayView)
	return out0, nil
}

// PackAddStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5a627dbc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addStake() payable returns()
func (relayRegistry *RelayRegistry) PackAddStake() []byte {
	enc, err := relayRegistry.abi.Pack("addStake")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5a627dbc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addStake() payable returns()
func (relayRegistry *RelayRegistry) TryPackAddStake() ([]byte, error) {
	return relayRegistry.abi.Pack("addStake")
}

// PackAnnounceExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18ff7536.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function announceExit() returns()
func (relayRegistry *RelayRegistry) PackAnnounceExit() []byte {
	enc, err := relayRegistry.abi.Pack("announceExit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAnnounceExit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18ff7536.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function announceExit() returns()
func (relayRegistry *RelayRegistry) TryPackAnnounceExit() ([]byte, error) {
	return relayRegistry.abi.Pack("announceExit")
}

// PackCurrentEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76671808.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function currentEpoch() view returns(uint64)
func (relayRegistry *RelayRegistry) PackCurrentEpoch() []byte {
	enc, err := relayRegistry.abi.Pack("currentEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCurrentEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76671808.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function currentEpoch() view returns(uint64)
func (relayRegistry *RelayRegistry) TryPackCurrentEpoch() ([]byte, error) {
	return relayRegistry.abi.Pack("currentEpoch")
}

// UnpackCurrentEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x76671808.
//
// Solidity: function currentEpoch() view returns(uint64)
func (relayRegistry *RelayRegistry) UnpackCurrentEpoch(data []byte) (uint64, error) {
	out, err := relayRegistry.abi.Unpack("currentEpoch", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackEpochLength is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x57d775f8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function epochLength() view returns(uint64)
func (relayRegistry *RelayRegistry) PackEpochLength() []byte {
	enc, err := relayRegistry.abi.Pack("epochLength")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEpochLength is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x57d775f8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function epochLength() view returns(uint64)
func (relayRegistry *RelayRegistry) TryPackEpochLength() ([]byte, error) {
	return relayRegistry.abi.Pack("epochLength")
}

// UnpackEpochLength is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x57d775f8.
//
// Solidity: function epochLength() view returns(uint64)
func (relayRegistry *RelayRegistry) UnpackEpochLength(data []byte) (uint64, error) {
	out, err := relayRegistry.abi.Unpack("epochLength", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackEpochStart is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa1587509.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function epochStart(uint64 epoch) view returns(uint64)
func (relayRegistry *RelayRegistry) PackEpochStart(epoch uint64) []byte {
	enc, err := relayRegistry.abi.Pack("epochStart", epoch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEpochStart is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa1587509.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function epochStart(uint64 epoch) view returns(uint64)
func (relayRegistry *RelayRegistry) TryPackEpochStart(epoch uint64) ([]byte, error) {
	return relayRegistry.abi.Pack("epochStart", epoch)
}

// UnpackEpochStart is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa1587509.
//
// Solidity: function epochStart(uint64 epoch) view returns(uint64)
func (relayRegistry *RelayRegistry) UnpackEpochStart(data []byte) (uint64, error) {
	out, err := relayRegistry.abi.Unpack("epochStart", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackGenesis is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa7f0b3de.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function genesis() view returns(uint64)
func (relayRegistry *RelayRegistry) PackGenesis() []byte {
	enc, err := relayRegistry.abi.Pack("genesis")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGenesis is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa7f0b3de.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function genesis() view returns(uint64)
func (relayRegistry *RelayRegistry) TryPackGenesis() ([]byte, error) {
	return relayRegistry.abi.Pack("genesis")
}

// UnpackGenesis is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa7f0b3de.
//
// Solidity: function genesis() view returns(uint64)
func (relayRegistry *RelayRegistry) UnpackGenesis(data []byte) (uint64, error) {
	out, err := relayRegistry.abi.Unpack("genesis", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackIsEnforcer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5bdc6f32.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isEnforcer(address account) view returns(bool)
func (relayRegistry *RelayRegistry) PackIsEnforcer(account common.Address) []byte {
	enc, err := relayRegistry.abi.Pack("isEnforcer", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsEnforcer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5bdc6f32.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isEnforcer(address account) view returns(bool)
func (relayRegistry *RelayRegistry) TryPackIsEnforcer(account common.Address) ([]byte, error) {
	return relayRegistry.abi.Pack("isEnforcer", account)
}

// UnpackIsEnforcer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5bdc6f32.
//
// Solidity: function isEnforcer(address account) view returns(bool)
func (relayRegistry *RelayRegistry) UnpackIsEnforcer(data []byte) (bool, error) {
	out, err := relayRegistry.abi.Unpack("isEnforcer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackJail is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9bcbea52.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function jail(address operator) returns()
func (relayRegistry *RelayRegistry) PackJail(operator common.Address) []byte {
	enc, err := relayRegistry.abi.Pack("jail", operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackJail is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9bcbea52.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function jail(address operator) returns()
func (relayRegistry *RelayRegistry) TryPackJail(operator common.Address) ([]byte, error) {
	return relayRegistry.abi.Pack("jail", operator)
}

// PackMinStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x375b3c0a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minStake() view returns(uint256)
func (relayRegistry *RelayRegistry) PackMinStake() []byte {
	enc, err := relayRegistry.abi.Pack("minStake")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x375b3c0a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minStake() view returns(uint256)
func (relayRegistry *RelayRegistry) TryPackMinStake() ([]byte, error) {
	return relayRegistry.abi.Pack("minStake")
}

// UnpackMinStake is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x375b3c0a.
//
// Solidity: function minStake() view returns(uint256)
func (relayRegistry *RelayRegistry) UnpackMinStake(data []byte) (*big.Int, error) {
	out, err := relayRegistry.abi.Unpack("minStake", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackOperatorOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x63ea4ab2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function operatorOf(bytes32 nodeKey) view returns(address)
func (relayRegistry *RelayRegistry) PackOperatorOf(nodeKey [32]byte) []byte {
	enc, err := relayRegistry.abi.Pack("operatorOf", nodeKey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOperatorOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x63ea4ab2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function operatorOf(bytes32 nodeKey) view returns(address)
func (relayRegistry *RelayRegistry) TryPackOperatorOf(nodeKey [32]byte) ([]byte, error) {
	return relayRegistry.abi.Pack("operatorOf", nodeKey)
}

// UnpackOperatorOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x63ea4ab2.
//
// Solidity: function operatorOf(bytes32 nodeKey) view returns(address)
func (relayRegistry *RelayRegistry) UnpackOperatorOf(data []byte) (common.Address, error) {
	out, err := relayRegistry.abi.Unpack("operatorOf", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPeerId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b7acc09.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function peerId(address operator) view returns(bytes)
func (relayRegistry *RelayRegistry) PackPeerId(operator common.Address) []byte {
	enc, err := relayRegistry.abi.Pack("peerId", operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPeerId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b7acc09.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function peerId(address operator) view returns(bytes)
func (relayRegistry *RelayRegistry) TryPackPeerId(operator common.Address) ([]byte, error) {
	return relayRegistry.abi.Pack("peerId", operator)
}

// UnpackPeerId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1b7acc09.
//
// Solidity: function peerId(address operator) view returns(bytes)
func (relayRegistry *RelayRegistry) UnpackPeerId(data []byte) ([]byte, error) {
	out, err := relayRegistry.abi.Unpack("peerId", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb5782e2a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(uint8 roles, bytes32 nodeKey, bytes multiaddrs) payable returns()
func (relayRegistry *RelayRegistry) PackRegister(roles uint8, nodeKey [32]byte, multiaddrs []byte) []byte {
	enc, err := relayRegistry.abi.Pack("register", roles, nodeKey, multiaddrs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb5782e2a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(uint8 roles, bytes32 nodeKey, bytes multiaddrs) payable returns()
func (relayRegistry *RelayRegistry) TryPackRegister(roles uint8, nodeKey [32]byte, multiaddrs []byte) ([]byte, error) {
	return relayRegistry.abi.Pack("register", roles, nodeKey, multiaddrs)
}

// PackRelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73b6656f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function relay(address operator) view returns((address,uint8,uint8,uint128,uint64,bytes32,bytes))
func (relayRegistry *RelayRegistry) PackRelay(operator common.Address) []byte {
	enc, err := relayRegistry.abi.Pack("relay", operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73b6656f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function relay(address operator) view returns((address,uint8,uint8,uint128,uint64,bytes32,bytes))
func (relayRegistry *RelayRegistry) TryPackRelay(operator common.Address) ([]byte, error) {
	return relayRegistry.abi.Pack("relay", operator)
}

// UnpackRelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x73b6656f.
//
// Solidity: function relay(address operator) view returns((address,uint8,uint8,uint128,uint64,bytes32,bytes))
func (relayRegistry *RelayRegistry) UnpackRelay(data []byte) (IRelayRegistryRelayView, error) {
	out, err := relayRegistry.abi.Unpack("relay", data)
	if err != nil {
		return *new(IRelayRegistryRelayView), err
	}
	out0 := *abi.ConvertType(out[0], new(IRelayRegistryRelayView)).(*IRelayRegistryRelayView)
	return out0, nil
}

// PackSetMultiaddrs is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe017b95a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setMultiaddrs(bytes multiaddrs) returns()
func (relayRegistry *RelayRegistry) PackSetMultiaddrs(multiaddrs []byte) []byte {
	enc, err := relayRegistry.abi.Pack("setMultiaddrs", multiaddrs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetMultiaddrs is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe017b95a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setMultiaddrs(bytes multiaddrs) returns()
func (relayRegistry *RelayRegistry) TryPackSetMultiaddrs(multiaddrs []byte) ([]byte, error) {
	return relayRegistry.abi.Pack("setMultiaddrs", multiaddrs)
}

// PackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbfac5990.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slash(address operator, uint256 amount, address recipient) returns(uint256 paid)
func (relayRegistry *RelayRegistry) PackSlash(operator common.Address, amount *big.Int, recipient common.Address) []byte {
	enc, err := relayRegistry.abi.Pack("slash", operator, amount, recipient)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbfac5990.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slash(address operator, uint256 amount, address recipient) returns(uint256 paid)
func (relayRegistry *RelayRegistry) TryPackSlash(operator common.Address, amount *big.Int, recipient common.Address) ([]byte, error) {
	return relayRegistry.abi.Pack("slash", operator, amount, recipient)
}

// UnpackSlash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbfac5990.
//
// Solidity: function slash(address operator, uint256 amount, address recipient) returns(uint256 paid)
func (relayRegistry *RelayRegistry) UnpackSlash(data []byte) (*big.Int, error) {
	out, err := relayRegistry.abi.Unpack("slash", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackStakeOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42623360.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stakeOf(address operator) view returns(uint256)
func (relayRegistry *RelayRegistry) PackStakeOf(operator common.Address) []byte {
	enc, err := relayRegistry.abi.Pack("stakeOf", operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStakeOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42623360.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stakeOf(address operator) view returns(uint256)
func (relayRegistry *RelayRegistry) TryPackStakeOf(operator common.Address) ([]byte, error) {
	return relayRegistry.abi.Pack("stakeOf", operator)
}

// UnpackStakeOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x42623360.
//
// Solidity: function stakeOf(address operator) view returns(uint256)
func (relayRegistry *RelayRegistry) UnpackStakeOf(data []byte) (*big.Int, error) {
	out, err := relayRegistry.abi.Unpack("stakeOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackUnbondingDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdb7dd35a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unbondingDelay() view returns(uint64)
func (relayRegistry *RelayRegistry) PackUnbondingDelay() []byte {
	enc, err := relayRegistry.abi.Pack("unbondingDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnbondingDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdb7dd35a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unbondingDelay() view returns(uint64)
func (relayRegistry *RelayRegistry) TryPackUnbondingDelay() ([]byte, error) {
	return relayRegistry.abi.Pack("unbondingDelay")
}

// UnpackUnbondingDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdb7dd35a.
//
// Solidity: function unbondingDelay() view returns(uint64)
func (relayRegistry *RelayRegistry) UnpackUnbondingDelay(data []byte) (uint64, error) {
	out, err := relayRegistry.abi.Unpack("unbondingDelay", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (relayRegistry *RelayRegistry) PackWithdraw() []byte {
	enc, err := relayRegistry.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns()
func (relayRegistry *RelayRegistry) TryPackWithdraw() ([]byte, error) {
	return relayRegistry.abi.Pack("withdraw")
}

// RelayRegistryExitAnnounced represents a ExitAnnounced event raised by the RelayRegistry contract.
type RelayRegistryExitAnnounced struct {
	Operator common.Address
	UnlockAt uint64
	Raw      *types.Log // Blockchain specific contextual infos
}

const RelayRegistryExitAnnouncedEventName = "ExitAnnounced"

// ContractEventName returns the user-defined event name.
func (RelayRegistryExitAnnounced) ContractEventName() string {
	return RelayRegistryExitAnnouncedEventName
}

// UnpackExitAnnouncedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ExitAnnounced(address indexed operator, uint64 unlockAt)
func (relayRegistry *RelayRegistry) UnpackExitAnnouncedEvent(log *types.Log) (*RelayRegistryExitAnnounced, error) {
	event := "ExitAnnounced"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != relayRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RelayRegistryExitAnnounced)
	if len(log.Data) > 0 {
		if err := relayRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range relayRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RelayRegistryJailed represents a Jailed event raised by the RelayRegistry contract.
type RelayRegistryJailed struct {
	Operator common.Address
	Enforcer common.Address
	UnlockAt uint64
	Raw      *types.Log // Blockchain specific contextual infos
}

const RelayRegistryJailedEventName = "Jailed"

// ContractEventName returns the user-defined event name.
func (RelayRegistryJailed) ContractEventName() string {
	return RelayRegistryJailedEventName
}

// UnpackJailedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Jailed(address indexed operator, address indexed enforcer, uint64 unlockAt)
func (relayRegistry *RelayRegistry) UnpackJailedEvent(log *types.Log) (*RelayRegistryJailed, error) {
	event := "Jailed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != relayRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RelayRegistryJailed)
	if len(log.Data) > 0 {
		if err := relayRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range relayRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RelayRegistryMultiaddrsUpdated represents a MultiaddrsUpdated event raised by the RelayRegistry contract.
type RelayRegistryMultiaddrsUpdated struct {
	Operator   common.Address
	Multiaddrs []byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const RelayRegistryMultiaddrsUpdatedEventName = "MultiaddrsUpdated"

// ContractEventName returns the user-defined event name.
func (RelayRegistryMultiaddrsUpdated) ContractEventName() string {
	return RelayRegistryMultiaddrsUpdatedEventName
}

// UnpackMultiaddrsUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MultiaddrsUpdated(address indexed operator, bytes multiaddrs)
func (relayRegistry *RelayRegistry) UnpackMultiaddrsUpdatedEvent(log *types.Log) (*RelayRegistryMultiaddrsUpdated, error) {
	event := "MultiaddrsUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != relayRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RelayRegistryMultiaddrsUpdated)
	if len(log.Data) > 0 {
		if err := relayRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range relayRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RelayRegistryRegistered represents a Registered event raised by the RelayRegistry contract.
type RelayRegistryRegistered struct {
	Operator   common.Address
	Roles      uint8
	NodeKey    [32]byte
	Stake      *big.Int
	Multiaddrs []byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const RelayRegistryRegisteredEventName = "Registered"

// ContractEventName returns the user-defined event name.
func (RelayRegistryRegistered) ContractEventName() string {
	return RelayRegistryRegisteredEventName
}

// UnpackRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Registered(address indexed operator, uint8 roles, bytes32 indexed nodeKey, uint256 stake, bytes multiaddrs)
func (relayRegistry *RelayRegistry) UnpackRegisteredEvent(log *types.Log) (*RelayRegistryRegistered, error) {
	event := "Registered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != relayRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RelayRegistryRegistered)
	if len(log.Data) > 0 {
		if err := relayRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range relayRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RelayRegistrySlashed represents a Slashed event raised by the RelayRegistry contract.
type RelayRegistrySlashed struct {
	Operator  common.Address
	Enforcer  common.Address
	Recipient common.Address
	Amount    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const RelayRegistrySlashedEventName = "Slashed"

// ContractEventName returns the user-defined event name.
func (RelayRegistrySlashed) ContractEventName() string {
	return RelayRegistrySlashedEventName
}

// UnpackSlashedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Slashed(address indexed operator, address indexed enforcer, address indexed recipient, uint256 amount)
func (relayRegistry *RelayRegistry) UnpackSlashedEvent(log *types.Log) (*RelayRegistrySlashed, error) {
	event := "Slashed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != relayRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RelayRegistrySlashed)
	if len(log.Data) > 0 {
		if err := relayRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range relayRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RelayRegistryStakeAdded represents a StakeAdded event raised by the RelayRegistry contract.
type RelayRegistryStakeAdded struct {
	Operator common.Address
	Amount   *big.Int
	Stake    *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const RelayRegistryStakeAddedEventName = "StakeAdded"

// ContractEventName returns the user-defined event name.
func (RelayRegistryStakeAdded) ContractEventName() string {
	return RelayRegistryStakeAddedEventName
}

// UnpackStakeAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event StakeAdded(address indexed operator, uint256 amount, uint256 stake)
func (relayRegistry *RelayRegistry) UnpackStakeAddedEvent(log *types.Log) (*RelayRegistryStakeAdded, error) {
	event := "StakeAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != relayRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RelayRegistryStakeAdded)
	if len(log.Data) > 0 {
		if err := relayRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range relayRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RelayRegistryWithdrawn represents a Withdrawn event raised by the RelayRegistry contract.
type RelayRegistryWithdrawn struct {
	Operator common.Address
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const RelayRegistryWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (RelayRegistryWithdrawn) ContractEventName() string {
	return RelayRegistryWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed operator, uint256 amount)
func (relayRegistry *RelayRegistry) UnpackWithdrawnEvent(log *types.Log) (*RelayRegistryWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != relayRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RelayRegistryWithdrawn)
	if len(log.Data) > 0 {
		if err := relayRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range relayRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (relayRegistry *RelayRegistry) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["AlreadyRegistered"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackAlreadyRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["ExitNotAnnounced"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackExitNotAnnouncedError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["InvalidNodeKey"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackInvalidNodeKeyError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["InvalidParameter"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackInvalidParameterError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["InvalidRoles"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackInvalidRolesError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["MultiaddrsTooLong"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackMultiaddrsTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["NodeKeyTaken"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackNodeKeyTakenError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["NotActive"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackNotActiveError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["NotEnforcer"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackNotEnforcerError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["NotRegistered"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackNotRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["ReentrancyGuardReentrantCall"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackReentrancyGuardReentrantCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["StakeBelowMinimum"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackStakeBelowMinimumError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["StakeOverflow"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackStakeOverflowError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["StillUnbonding"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackStillUnbondingError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], relayRegistry.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return relayRegistry.UnpackZeroAmountError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RelayRegistryAlreadyRegistered represents a AlreadyRegistered error raised by the RelayRegistry contract.
type RelayRegistryAlreadyRegistered struct {
	Operator common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRegistered(address operator)
func RelayRegistryAlreadyRegisteredErrorID() common.Hash {
	return common.HexToHash("0x45ed80e9399c87887ea54f615514a1e3dde31e9b6c027ddceb4ffd503b70e428")
}

// UnpackAlreadyRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRegistered(address operator)
func (relayRegistry *RelayRegistry) UnpackAlreadyRegisteredError(raw []byte) (*RelayRegistryAlreadyRegistered, error) {
	out := new(RelayRegistryAlreadyRegistered)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "AlreadyRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryExitNotAnnounced represents a ExitNotAnnounced error raised by the RelayRegistry contract.
type RelayRegistryExitNotAnnounced struct {
	Operator common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ExitNotAnnounced(address operator)
func RelayRegistryExitNotAnnouncedErrorID() common.Hash {
	return common.HexToHash("0x69203eb383e84f3e9d4a6d0180699f201db0e1a623b3b9092183d8e5e093ac9b")
}

// UnpackExitNotAnnouncedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ExitNotAnnounced(address operator)
func (relayRegistry *RelayRegistry) UnpackExitNotAnnouncedError(raw []byte) (*RelayRegistryExitNotAnnounced, error) {
	out := new(RelayRegistryExitNotAnnounced)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "ExitNotAnnounced", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryInvalidNodeKey represents a InvalidNodeKey error raised by the RelayRegistry contract.
type RelayRegistryInvalidNodeKey struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidNodeKey()
func RelayRegistryInvalidNodeKeyErrorID() common.Hash {
	return common.HexToHash("0x9004e74a9be847184834488cf245f1b73d3df06b4326cec1f728fbc4e8d1448f")
}

// UnpackInvalidNodeKeyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidNodeKey()
func (relayRegistry *RelayRegistry) UnpackInvalidNodeKeyError(raw []byte) (*RelayRegistryInvalidNodeKey, error) {
	out := new(RelayRegistryInvalidNodeKey)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "InvalidNodeKey", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryInvalidParameter represents a InvalidParameter error raised by the RelayRegistry contract.
type RelayRegistryInvalidParameter struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidParameter()
func RelayRegistryInvalidParameterErrorID() common.Hash {
	return common.HexToHash("0x613970e00e0c5f1796e718945c18d44b28036e395248cdc406e4f92f598f3815")
}

// UnpackInvalidParameterError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidParameter()
func (relayRegistry *RelayRegistry) UnpackInvalidParameterError(raw []byte) (*RelayRegistryInvalidParameter, error) {
	out := new(RelayRegistryInvalidParameter)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "InvalidParameter", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryInvalidRoles represents a InvalidRoles error raised by the RelayRegistry contract.
type RelayRegistryInvalidRoles struct {
	Roles uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRoles(uint8 roles)
func RelayRegistryInvalidRolesErrorID() common.Hash {
	return common.HexToHash("0xacd371d67d5baad469a134ea131894f5543b1fceba0b5906e6e0cfca5472ada2")
}

// UnpackInvalidRolesError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRoles(uint8 roles)
func (relayRegistry *RelayRegistry) UnpackInvalidRolesError(raw []byte) (*RelayRegistryInvalidRoles, error) {
	out := new(RelayRegistryInvalidRoles)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "InvalidRoles", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryMultiaddrsTooLong represents a MultiaddrsTooLong error raised by the RelayRegistry contract.
type RelayRegistryMultiaddrsTooLong struct {
	Length *big.Int
	Max    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error MultiaddrsTooLong(uint256 length, uint256 max)
func RelayRegistryMultiaddrsTooLongErrorID() common.Hash {
	return common.HexToHash("0x60e57c66880f2df348673eb54c1783c38b163c7d4356d016936197b3330786ea")
}

// UnpackMultiaddrsTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error MultiaddrsTooLong(uint256 length, uint256 max)
func (relayRegistry *RelayRegistry) UnpackMultiaddrsTooLongError(raw []byte) (*RelayRegistryMultiaddrsTooLong, error) {
	out := new(RelayRegistryMultiaddrsTooLong)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "MultiaddrsTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryNodeKeyTaken represents a NodeKeyTaken error raised by the RelayRegistry contract.
type RelayRegistryNodeKeyTaken struct {
	NodeKey  [32]byte
	Operator common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NodeKeyTaken(bytes32 nodeKey, address operator)
func RelayRegistryNodeKeyTakenErrorID() common.Hash {
	return common.HexToHash("0x3c5795f5580c01c3a662f837655809d6eaca67ac1d05bc3f67532523201eb322")
}

// UnpackNodeKeyTakenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NodeKeyTaken(bytes32 nodeKey, address operator)
func (relayRegistry *RelayRegistry) UnpackNodeKeyTakenError(raw []byte) (*RelayRegistryNodeKeyTaken, error) {
	out := new(RelayRegistryNodeKeyTaken)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "NodeKeyTaken", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryNotActive represents a NotActive error raised by the RelayRegistry contract.
type RelayRegistryNotActive struct {
	Operator common.Address
	Status   uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotActive(address operator, uint8 status)
func RelayRegistryNotActiveErrorID() common.Hash {
	return common.HexToHash("0xc0c11c606187c3998a752cceb8f290c4e8e0ddfb6c7539047c1216ef420a6e6c")
}

// UnpackNotActiveError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotActive(address operator, uint8 status)
func (relayRegistry *RelayRegistry) UnpackNotActiveError(raw []byte) (*RelayRegistryNotActive, error) {
	out := new(RelayRegistryNotActive)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "NotActive", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryNotEnforcer represents a NotEnforcer error raised by the RelayRegistry contract.
type RelayRegistryNotEnforcer struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotEnforcer(address caller)
func RelayRegistryNotEnforcerErrorID() common.Hash {
	return common.HexToHash("0x5c765c7073298a7fb839555a1552119e1bcde061733c6e64488f3689318b9369")
}

// UnpackNotEnforcerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotEnforcer(address caller)
func (relayRegistry *RelayRegistry) UnpackNotEnforcerError(raw []byte) (*RelayRegistryNotEnforcer, error) {
	out := new(RelayRegistryNotEnforcer)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "NotEnforcer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryNotRegistered represents a NotRegistered error raised by the RelayRegistry contract.
type RelayRegistryNotRegistered struct {
	Operator common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRegistered(address operator)
func RelayRegistryNotRegisteredErrorID() common.Hash {
	return common.HexToHash("0xbfc6c337a80b7b8201f77f0a2a54c6e5f7c6fd9124a749804a482fa16ee8a895")
}

// UnpackNotRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRegistered(address operator)
func (relayRegistry *RelayRegistry) UnpackNotRegisteredError(raw []byte) (*RelayRegistryNotRegistered, error) {
	out := new(RelayRegistryNotRegistered)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "NotRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryReentrancyGuardReentrantCall represents a ReentrancyGuardReentrantCall error raised by the RelayRegistry contract.
type RelayRegistryReentrancyGuardReentrantCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReentrancyGuardReentrantCall()
func RelayRegistryReentrancyGuardReentrantCallErrorID() common.Hash {
	return common.HexToHash("0x3ee5aeb571de7fc460830b4d0017439a1ca56fb0bc39062227ade4fe4a24c1ca")
}

// UnpackReentrancyGuardReentrantCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReentrancyGuardReentrantCall()
func (relayRegistry *RelayRegistry) UnpackReentrancyGuardReentrantCallError(raw []byte) (*RelayRegistryReentrancyGuardReentrantCall, error) {
	out := new(RelayRegistryReentrancyGuardReentrantCall)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "ReentrancyGuardReentrantCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryStakeBelowMinimum represents a StakeBelowMinimum error raised by the RelayRegistry contract.
type RelayRegistryStakeBelowMinimum struct {
	Have *big.Int
	Need *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StakeBelowMinimum(uint256 have, uint256 need)
func RelayRegistryStakeBelowMinimumErrorID() common.Hash {
	return common.HexToHash("0x78e030db6dab79f2b1f675555d46c1e1b9504d86f8ec1f9c65f3cd21b236deed")
}

// UnpackStakeBelowMinimumError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StakeBelowMinimum(uint256 have, uint256 need)
func (relayRegistry *RelayRegistry) UnpackStakeBelowMinimumError(raw []byte) (*RelayRegistryStakeBelowMinimum, error) {
	out := new(RelayRegistryStakeBelowMinimum)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "StakeBelowMinimum", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryStakeOverflow represents a StakeOverflow error raised by the RelayRegistry contract.
type RelayRegistryStakeOverflow struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StakeOverflow()
func RelayRegistryStakeOverflowErrorID() common.Hash {
	return common.HexToHash("0xe0dfd2e925cc4e4577b1f2187a9812e5d783786f30fd66dcfc47a69f5630324f")
}

// UnpackStakeOverflowError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StakeOverflow()
func (relayRegistry *RelayRegistry) UnpackStakeOverflowError(raw []byte) (*RelayRegistryStakeOverflow, error) {
	out := new(RelayRegistryStakeOverflow)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "StakeOverflow", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryStillUnbonding represents a StillUnbonding error raised by the RelayRegistry contract.
type RelayRegistryStillUnbonding struct {
	NowTime  uint64
	UnlockAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StillUnbonding(uint64 nowTime, uint64 unlockAt)
func RelayRegistryStillUnbondingErrorID() common.Hash {
	return common.HexToHash("0x0d3a95a3bf22ab6dd0013a753fa6ad21404c6312803fbbe24d81079a7500b547")
}

// UnpackStillUnbondingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StillUnbonding(uint64 nowTime, uint64 unlockAt)
func (relayRegistry *RelayRegistry) UnpackStillUnbondingError(raw []byte) (*RelayRegistryStillUnbonding, error) {
	out := new(RelayRegistryStillUnbonding)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "StillUnbonding", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryTransferFailed represents a TransferFailed error raised by the RelayRegistry contract.
type RelayRegistryTransferFailed struct {
	To     common.Address
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed(address to, uint256 amount)
func RelayRegistryTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x1c43b9761b3fba5321ca8212bfc231945f668ccc0c446f333999eea9ce8fda81")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed(address to, uint256 amount)
func (relayRegistry *RelayRegistry) UnpackTransferFailedError(raw []byte) (*RelayRegistryTransferFailed, error) {
	out := new(RelayRegistryTransferFailed)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RelayRegistryZeroAmount represents a ZeroAmount error raised by the RelayRegistry contract.
type RelayRegistryZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func RelayRegistryZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (relayRegistry *RelayRegistry) UnpackZeroAmountError(raw []byte) (*RelayRegistryZeroAmount, error) {
	out := new(RelayRegistryZeroAmount)
	if err := relayRegistry.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerMetaData contains all meta data concerning the TicketIssuer contract.
var TicketIssuerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIRelayRegistry\",\"name\":\"registry_\",\"type\":\"address\"},{\"internalType\":\"contractIVault\",\"name\":\"vault_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"MAX_BATCH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"PENALTY_MULTIPLIER\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"RECEIPT_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REDEMPTION_GRACE\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REQUEST_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"}],\"name\":\"keyOf\",\"outputs\":[{\"components\":[{\"internalType\":\"uint128\",\"name\":\"value\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"expiresAt\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"publicKey\",\"type\":\"bytes\"}],\"internalType\":\"structITicketIssuer.Key\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"serialsHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"internalType\":\"structITicketIssuer.RedemptionRequest\",\"name\":\"request\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"providerSignature\",\"type\":\"bytes\"},{\"internalType\":\"bytes32[]\",\"name\":\"serials\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"proveDoubleRedemption\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"serialsHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"internalType\":\"structITicketIssuer.RedemptionRequest\",\"name\":\"request\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"providerSignature\",\"type\":\"bytes\"},{\"internalType\":\"bytes32[]\",\"name\":\"serials\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"receiptValue\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"receiptSignature\",\"type\":\"bytes\"}],\"name\":\"proveDoubleRedemptionWithReceipt\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes\",\"name\":\"publicKey\",\"type\":\"bytes\"},{\"internalType\":\"uint128\",\"name\":\"value\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"expiresAt\",\"type\":\"uint64\"}],\"name\":\"publishKey\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeValue\",\"type\":\"uint256\"}],\"name\":\"receiptDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"expectedValue\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"serials\",\"type\":\"bytes32[]\"},{\"internalType\":\"bytes\",\"name\":\"aggregateSignature\",\"type\":\"bytes\"}],\"name\":\"redeem\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"serial\",\"type\":\"bytes32\"}],\"name\":\"redeemerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"registry\",\"outputs\":[{\"internalType\":\"contractIRelayRegistry\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"serialsHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"internalType\":\"structITicketIssuer.RedemptionRequest\",\"name\":\"request\",\"type\":\"tuple\"}],\"name\":\"requestDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"}],\"name\":\"ticketDST\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"vault\",\"outputs\":[{\"internalType\":\"contractIVault\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"serial\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"slashed\",\"type\":\"uint256\"}],\"name\":\"DoubleRedemptionProven\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"value\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiresAt\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"publicKey\",\"type\":\"bytes\"}],\"name\":\"KeyPublished\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"redeemer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"count\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Redeemed\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"serial\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"redeemer\",\"type\":\"address\"}],\"name\":\"AlreadyRedeemed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"DSTTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"serial\",\"type\":\"bytes32\"}],\"name\":\"DuplicateSerial\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"size\",\"type\":\"uint256\"}],\"name\":\"InvalidBatchSize\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidKeyParameters\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidPointEncoding\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidPublicKey\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidReceiptSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidRequestSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"owed\",\"type\":\"uint256\"}],\"name\":\"IssuerStakeInsufficient\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"}],\"name\":\"KeyAlreadyPublished\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"redeemableUntil\",\"type\":\"uint64\"}],\"name\":\"KeyEpochExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotIssuer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"cashed\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"name\":\"NotPaidOffChain\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"serial\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"NotRedeemedOnChainBy\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PointNotInSubgroup\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PointNotOnCurve\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"precompile\",\"type\":\"address\"}],\"name\":\"PrecompileFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"receipted\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"name\":\"ReceiptTooLow\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"SerialsMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"SignatureAtInfinity\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"issuer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"keyEpoch\",\"type\":\"uint64\"}],\"name\":\"UnknownKeyEpoch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"keyValue\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"expected\",\"type\":\"uint256\"}],\"name\":\"WrongValue\",\"type\":\"error\"}]",
	ID:  "98da15ac773969deba48ae321f8e7b3b86",
	Bin: "0x6101a0604052348015610010575f5ffd5b5060405161395338038061395383398101604081905261002f916101c3565b604080518082018252600e81526d4d75726d7572205469636b65747360901b602080830191909152825180840190935260018352603160f81b9083015290610077825f610134565b61012052610086816001610134565b61014052815160208084019190912060e052815190820120610100524660a05261011260e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c0526001600160a01b039182166101605216610180526103a5565b5f60208351101561014f5761014883610166565b9050610160565b8161015a8482610293565b5060ff90505b92915050565b5f5f829050601f81511115610199578260405163305a27a960e01b8152600401610190919061034d565b60405180910390fd5b80516101a482610382565b179392505050565b6001600160a01b03811681146101c0575f5ffd5b50565b5f5f604083850312156101d4575f5ffd5b82516101df816101ac565b60208401519092506101f0816101ac565b809150509250929050565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061022357607f821691505b60208210810361024157634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561028e57805f5260205f20601f840160051c8101602085101561026c5750805b601f840160051c820191505b8181101561028b575f8155600101610278565b50505b505050565b81516001600160401b038111156102ac576102ac6101fb565b6102c0816102ba845461020f565b84610247565b6020601f8211600181146102f2575f83156102db5750848201515b5f19600385901b1c1916600184901b17845561028b565b5f84815260208120601f198516915b828110156103215787850151825560209485019460019092019101610301565b508482101561033e57868401515f19600387901b60f8161c191681555b50505050600190811b01905550565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80516020808301519190811015610241575f1960209190910360031b1b16919050565b60805160a05160c05160e051610100516101205161014051610160516101805161351f6104345f395f81816102e6015261090201525f81816101af0152818161066101528181610a75015281816111ce01528181611862015261196001525f6114f501525f6114c901525f611ed701525f611eaf01525f611e0a01525f611e3401525f611e5e015261351f5ff3fe608060405234801561000f575f5ffd5b506004361061012e575f3560e01c806391ebd6d8116100ad578063d27d1d831161007d578063f698da2511610063578063f698da25146102d9578063fbfa77cf146102e1578063ffb0836414610308575f5ffd5b8063d27d1d83146102a3578063e91c7e09146102c6575f5ffd5b806391ebd6d814610237578063950bff9f1461024c57806395850f59146102555780639e39b73e1461027c575f5ffd5b80635d777fa11161010257806382e2e4fd116100e857806382e2e4fd146101f657806384b0196e146102095780638a81699714610224575f5ffd5b80635d777fa1146101975780637b103999146101aa575f5ffd5b806201f46b146101325780630ab3ca0a1461015b5780633b5cf8481461017c5780633f979fc214610184575b5f5ffd5b610145610140366004612889565b610328565b60405161015291906128ee565b60405180910390f35b61016e6101693660046129be565b610454565b604051908152602001610152565b61016e600281565b61016e610192366004612a71565b6106e4565b61016e6101a5366004612a92565b6107ae565b6101d17f000000000000000000000000000000000000000000000000000000000000000081565b60405173ffffffffffffffffffffffffffffffffffffffff9091168152602001610152565b6101d1610204366004612ad0565b61081c565b61021161086e565b6040516101529796959493929190612afd565b61016e610232366004612bbc565b6108cc565b61024a610245366004612c63565b610a45565b005b61016e61010081565b61016e7fab73292236ec85ca785d09c0ead2024ff4832777282a92666454c776c6e3ffb381565b61016e7f126458f06585e982e6cce00355b48e2119ab5072a9169bf59b3d6788429ce1cb81565b6102ad62093a8081565b60405167ffffffffffffffff9091168152602001610152565b61016e6102d4366004612cdb565b610db3565b61016e610e00565b6101d17f000000000000000000000000000000000000000000000000000000000000000081565b61031b610316366004612da2565b610e0e565b6040516101529190612dbd565b60408051606080820183525f808352602080840182905283850183905273ffffffffffffffffffffffffffffffffffffffff871682526002815284822067ffffffffffffffff8781168452908252918590208551938401865280546fffffffffffffffffffffffffffffffff811685527001000000000000000000000000000000009004909216908301526001810180549394929391928401916103cb90612dcf565b80601f01602080910402602001604051908101604052809291908181526020018280546103f790612dcf565b80156104425780601f1061041957610100808354040283529160200191610442565b820191905f5260205f20905b81548152906001019060200180831161042557829003601f168201915b50505050508152505090505b92915050565b5f61045d610e53565b5f610469898989610edb565b90508480158061047a575061010081115b156104b9576040517fa6f74985000000000000000000000000000000000000000000000000000000008152600481018290526024015b60405180910390fd5b5f6104c48686611080565b83549091505f906104e89084906fffffffffffffffffffffffffffffffff16612e47565b90506104f48c82611187565b610594826105048e8e8d8d611284565b86600101805461051390612dcf565b80601f016020809104026020016040519081016040528092919081815260200182805461053f90612dcf565b801561058a5780601f106105615761010080835404028352916020019161058a565b820191905f5260205f20905b81548152906001019060200180831161056d57829003601f168201915b50505050506113cb565b3373ffffffffffffffffffffffffffffffffffffffff168b67ffffffffffffffff168d73ffffffffffffffffffffffffffffffffffffffff167f26c37e52ee25af44c59f72be4847d95870036cfe77b757bf3a682fd7e26c914b8685604051610607929190918252602082015260400190565b60405180910390a46040517fbfac599000000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8d81166004830152602482018390523360448301527f0000000000000000000000000000000000000000000000000000000000000000169063bfac5990906064016020604051808303815f875af11580156106a7573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906106cb9190612e5e565b9450505050506106d9611451565b979650505050505050565b5f61044e7f126458f06585e982e6cce00355b48e2119ab5072a9169bf59b3d6788429ce1cb6107166020850185612e75565b6107266040860160208701612e75565b6107366060870160408801612da2565b60408051602081019590955273ffffffffffffffffffffffffffffffffffffffff93841690850152911660608381019190915267ffffffffffffffff9091166080838101919091529085013560a083015284013560c082015260e0015b6040516020818303038152906040528051906020012061147b565b604080517fab73292236ec85ca785d09c0ead2024ff4832777282a92666454c776c6e3ffb3602082015273ffffffffffffffffffffffffffffffffffffffff808616928201929092529083166060820152608081018290525f906108149060a001610793565b949350505050565b5f60035f610840868686604080519384526020840192909252908201526060902090565b815260208101919091526040015f205473ffffffffffffffffffffffffffffffffffffffff16949350505050565b5f6060805f5f5f606061087f6114c2565b6108876114ee565b604080515f808252602082019092527f0f000000000000000000000000000000000000000000000000000000000000009b939a50919850469750309650945092509050565b5f6108d5610e53565b5f5f6108e589898989898961151b565b90925090505f73ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001663c7a11b9a61093460208d018d612e75565b61094460408e0160208f01612e75565b6040517fffffffff0000000000000000000000000000000000000000000000000000000060e085901b16815273ffffffffffffffffffffffffffffffffffffffff928316600482015291166024820152604401602060405180830381865afa1580156109b2573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906109d69190612e5e565b90508960800135811015610a23576040517f06938b5d0000000000000000000000000000000000000000000000000000000081526004810182905260808b013560248201526044016104b0565b610a2e8a8484611779565b9350505050610a3b611451565b9695505050505050565b6040517f73b6656f0000000000000000000000000000000000000000000000000000000081523360048201525f907f000000000000000000000000000000000000000000000000000000000000000073ffffffffffffffffffffffffffffffffffffffff16906373b6656f906024015f60405180830381865afa158015610ace573d5f5f3e3d5ffd5b505050506040513d5f823e601f3d908101601f19168201604052610af59190810190612fb5565b9050600181604001516003811115610b0f57610b0f613080565b141580610b2157506020810151600416155b15610b5a576040517f3fd26f9e0000000000000000000000000000000000000000000000000000000081523360048201526024016104b0565b335f90815260026020908152604080832067ffffffffffffffff8a168452909152902080546fffffffffffffffffffffffffffffffff1615610bda576040517f217dc53400000000000000000000000000000000000000000000000000000000815233600482015267ffffffffffffffff881660248201526044016104b0565b6fffffffffffffffffffffffffffffffff84161580610c035750428367ffffffffffffffff1611155b15610c3a576040517fe64226f400000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f86868080601f0160208091040260200160405190810160405280939291908181526020018383808284375f920191909152505082519293505050610100141580610c8b5750610c8981611aa2565b155b80610c9a5750610c9a81611bd3565b80610cab5750610ca981611c11565b155b15610ce2576040517fa2d0fee800000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b815467ffffffffffffffff8516700100000000000000000000000000000000027fffffffffffffffff0000000000000000000000000000000000000000000000009091166fffffffffffffffffffffffffffffffff87161717825560018201610d4b82826130f1565b508767ffffffffffffffff163373ffffffffffffffffffffffffffffffffffffffff167ff49a8dcbc8869ad4925ec71552811b5bdd26387ed6e061dc73612b17c6ceadb3878785604051610da1939291906131ea565b60405180910390a35050505050505050565b5f610dbc610e53565b5f5f610dcc8c8c8c8c8c8c61151b565b91509150610ddc8c878787611ca0565b610de78c8383611779565b92505050610df3611451565b9998505050505050505050565b5f610e09611df1565b905090565b6060610e1946611f27565b610e2c8367ffffffffffffffff16611f27565b604051602001610e3d929190613244565b6040516020818303038152906040529050919050565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c15610eac576040517f3ee5aeb500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b610ed960017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90611fe3565b565b73ffffffffffffffffffffffffffffffffffffffff83165f90815260026020908152604080832067ffffffffffffffff861684529091528120805490916fffffffffffffffffffffffffffffffff90911690819003610f8e576040517f1e73b0e500000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8616600482015267ffffffffffffffff851660248201526044016104b0565b81545f90610fbe9062093a8090700100000000000000000000000000000000900467ffffffffffffffff166132d4565b90508067ffffffffffffffff16421115611034576040517f8b67145000000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8716600482015267ffffffffffffffff8087166024830152821660448201526064016104b0565b838214611077576040517f195a3ca100000000000000000000000000000000000000000000000000000000815260048101839052602481018590526044016104b0565b50509392505050565b606082828080601f0160208091040260200160405190810160405280939291908181526020018383808284375f92019190915250508251929350505060801415806110d157506110cf81611aa2565b155b15611108576040517f52ea716700000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b61111181611bd3565b15611148576040517f54656aa000000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b61115181611fea565b61044e576040517fa3d28e1300000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6040517f4262336000000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff83811660048301525f917f000000000000000000000000000000000000000000000000000000000000000090911690634262336090602401602060405180830381865afa158015611215573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906112399190612e5e565b90508181101561127f576040517fd2ee334900000000000000000000000000000000000000000000000000000000815260048101829052602481018390526044016104b0565b505050565b60605f61128f612021565b90505f6112a361129e87610e0e565b61204f565b90505f5b848110156113c1575f8686838181106112c2576112c26132f4565b9050602002013590505f6112ec8a8a84604080519384526020840192909252908201526060902090565b90506112f981868461222d565b5f8181526003602052604090205473ffffffffffffffffffffffffffffffffffffffff168015611374576040517f9e8d7f910000000000000000000000000000000000000000000000000000000081526004810184905273ffffffffffffffffffffffffffffffffffffffff821660248201526044016104b0565b5f82815260036020526040902080547fffffffffffffffffffffffff000000000000000000000000000000000000000016331790556113b38584612283565b5050508060010190506112a7565b506106d981612405565b5f5f6113d8858585612438565b9150915080611413576040517fb28e789100000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b8161144a576040517f8baa579f00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5050505050565b610ed95f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00610ed3565b5f61044e611487611df1565b836040517f19010000000000000000000000000000000000000000000000000000000000008152600281019290925260228201526042902090565b6060610e097f00000000000000000000000000000000000000000000000000000000000000005f61252b565b6060610e097f0000000000000000000000000000000000000000000000000000000000000000600161252b565b5f5f5f5f61156661152b8b6106e4565b8a8a8080601f0160208091040260200160405190810160405280939291908181526020018383808284375f920191909152506125d492505050565b5090925090505f81600381111561157f5761157f613080565b1415806115c7575061159760408b0160208c01612e75565b73ffffffffffffffffffffffffffffffffffffffff168273ffffffffffffffffffffffffffffffffffffffff1614155b156115fe576040517fe723ed2c00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b8585101580611639575089606001358787604051602001611620929190613321565b6040516020818303038152906040528051906020012014155b15611670576040517f20e0ea8900000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b868686818110611682576116826132f4565b9050602002013593506116cb8a5f0160208101906116a09190612e75565b6116b060608d0160408e01612da2565b86604080519384526020840192909252908201526060902090565b92506116dd60408b0160208c01612e75565b5f8481526003602052604090205473ffffffffffffffffffffffffffffffffffffffff90811691161461176c578361171b60408c0160208d01612e75565b6040517febc806d2000000000000000000000000000000000000000000000000000000008152600481019290925273ffffffffffffffffffffffffffffffffffffffff1660248201526044016104b0565b5050965096945050505050565b5f818152600360209081526040822080547fffffffffffffffffffffffff00000000000000000000000000000000000000001660011790558190600290819083906117c690890189612e75565b73ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f205f8760400160208101906118139190612da2565b67ffffffffffffffff16815260208101919091526040015f205461184991906fffffffffffffffffffffffffffffffff16612e47565b905073ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001663bfac59906118976040880160208901612e75565b836118a560208a018a612e75565b60405160e085901b7fffffffff0000000000000000000000000000000000000000000000000000000016815273ffffffffffffffffffffffffffffffffffffffff9384166004820152602481019290925290911660448201526064016020604051808303815f875af115801561191d573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906119419190612e5e565b91508115611a0f5773ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016639bcbea526119956040880160208901612e75565b6040517fffffffff0000000000000000000000000000000000000000000000000000000060e084901b16815273ffffffffffffffffffffffffffffffffffffffff90911660048201526024015f604051808303815f87803b1580156119f8575f5ffd5b505af1158015611a0a573d5f5f3e3d5ffd5b505050505b611a1c6020860186612e75565b73ffffffffffffffffffffffffffffffffffffffff16611a426040870160208801612e75565b73ffffffffffffffffffffffffffffffffffffffff167fe234126d40275e8958abfadd481f08f0212e9c5dc7ae5c8cd8bf4d878f80bd7c8685604051611a92929190918252602082015260400190565b60405180910390a3509392505050565b5f5f60408351611ab2919061338e565b905060408351611ac291906133a1565b151580611adc575080600214158015611adc575080600414155b15611ae957505f92915050565b5f5b81811015611bc957604081810285016020810151603082015191909201517fffffffffffffffffffffffffffffffff00000000000000000000000000000000831615611b3d57505f9695505050505050565b817f1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f62480821115611b7557505f98975050505050505050565b8082148015611ba657506f1eabfffeb153ffffb9feffffffffaaab6fffffffffffffffffffffffffffffffff841610155b15611bb957505f98975050505050505050565b5050505050806001019050611aeb565b5060019392505050565b5f5f5b8251811015611c0857828101602001518015611bf557505f9392505050565b50611c016020826133b4565b9050611bd6565b50600192915050565b5f5f600e73ffffffffffffffffffffffffffffffffffffffff16836001604051602001611c3f9291906133c7565b60408051601f1981840301815290829052611c59916133df565b5f60405180830381855afa9150503d805f8114611c91576040519150601f19603f3d011682016040523d82523d5f602084013e611c96565b606091505b5090949350505050565b5f80611d06611ccb611cb56020890189612e75565b611cc560408a0160208b01612e75565b886107ae565b85858080601f0160208091040260200160405190810160405280939291908181526020018383808284375f920191909152506125d492505050565b5090925090505f816003811115611d1f57611d1f613080565b141580611d675750611d376040870160208801612e75565b73ffffffffffffffffffffffffffffffffffffffff168273ffffffffffffffffffffffffffffffffffffffff1614155b15611d9e576040517fb66f9ed200000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b8560800135851015611de9576040517f9946179300000000000000000000000000000000000000000000000000000000815260048101869052608087013560248201526044016104b0565b505050505050565b5f3073ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016148015611e5657507f000000000000000000000000000000000000000000000000000000000000000046145b15611e8057507f000000000000000000000000000000000000000000000000000000000000000090565b610e09604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60605f611f338361261d565b60010190505f8167ffffffffffffffff811115611f5257611f52612e90565b6040519080825280601f01601f191660200182016040528015611f7c576020820181803683370190505b5090508181016020015b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff017f3031323334353637383961626364656600000000000000000000000000000000600a86061a8153600a8504945084611f8657509392505050565b80825d5050565b60408051608080825260a082019092525f918291600b918591906020820181803683375050604051611c3f939291506020016133ea565b7fb1767da2c80f71507606ad0bc4508b9cf9db05d8f1c828e0ddc28d81a93aa2e4805c6001019081815d5090565b61207c6040518060a001604052805f81526020015f81526020015f81526020015f81526020015f81525090565b815160ff8111156120b9576040517f635fb71c00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6120c48160216133b4565b6120cf9060016133b4565b6020808401829052906120e390601f6133b4565b6120ed919061338e565b6120f8906020612e47565b612104906102406133b4565b60408301526121148160636133b4565b61211f9060016133b4565b6060830181905260209061213490601f6133b4565b61213e919061338e565b612149906020612e47565b826040015161215891906133b4565b608083018190525f9061216c9060206133b4565b90505f6040519050818101604052813682376101408101604081526001602082015260306040820152600160a08201537f1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f62460a18201527f1eabfffeb153ffffb9feffffffffaaab0000000000000000000000000000000060c1909101526102408101836020870161026184015e83846021018201535060408401518101608060618201538360208701606383015e8384606301820153508352509092915050565b5f835f528260205260405f20805c91506001815d50801561227d576040517fcf59fbc2000000000000000000000000000000000000000000000000000000008152600481018390526024016104b0565b50505050565b8151602083015160408401515f9061229b90846133b4565b60608601516080870151919250905f906122b590866133b4565b90505f866040850152602082848660025afa90508151610240870181815260016020820153602084888360025afa8451838118835293169260026020830153602085898460025afa85518481188452941693600360208401536020868a8560025afa86518581188552951694600460208501536020878b8660025afa86169550865194506101408b01935082606085015281608085015260306101108c0160d18660055afa861695506080808c0160406101008e0160105afa8616955060808b6101008d600b5afa861695508060608501525050508160808201526030610110890160d18360055afa83169250505060808087016040610100890160105afa1660808661010081600b5afa16806123fb576040517feb8d043a000000000000000000000000000000000000000000000000000000008152601060048201526024016104b0565b5050505050505050565b60408051608080825260a08201909252606091602082018180368337019050508251909150608081602084015e50919050565b5f5f5f5f600f73ffffffffffffffffffffffffffffffffffffffff1687604051806101200160405280610100815260200161341f6101009139888860405160200161248694939291906133fe565b60408051601f19818403018152908290526124a0916133df565b5f60405180830381855afa9150503d805f81146124d8576040519150601f19603f3d011682016040523d82523d5f602084013e6124dd565b606091505b50915091508115806124f157508051602014155b15612503575f5f935093505050612523565b808060200190518101906125179190612e5e565b60011460019350935050505b935093915050565b606060ff83146125455761253e836126fe565b905061044e565b81805461255190612dcf565b80601f016020809104026020016040519081016040528092919081815260200182805461257d90612dcf565b80156125c85780601f1061259f576101008083540402835291602001916125c8565b820191905f5260205f20905b8154815290600101906020018083116125ab57829003601f168201915b5050505050905061044e565b5f5f5f835160410361260b576020840151604085015160608601515f1a6125fd8882858561273b565b955095509550505050612616565b505081515f91506002905b9250925092565b5f807a184f03e93ff9f4daa797ed6e38ed64bf6a1f0100000000000000008310612665577a184f03e93ff9f4daa797ed6e38ed64bf6a1f010000000000000000830492506040015b6d04ee2d6d415b85acef81000000008310612691576d04ee2d6d415b85acef8100000000830492506020015b662386f26fc1000083106126af57662386f26fc10000830492506010015b6305f5e10083106126c7576305f5e100830492506008015b61271083106126db57612710830492506004015b606483106126ed576064830492506002015b600a831061044e5760010192915050565b60605f61270a83612810565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a084111561277457505f91506003905082612806565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa1580156127c5573d5f5f3e3d5ffd5b5050604051601f19015191505073ffffffffffffffffffffffffffffffffffffffff81166127fd57505f925060019150829050612806565b92505f91508190505b9450945094915050565b5f60ff8216601f81111561044e576040517fb3512b0c00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b73ffffffffffffffffffffffffffffffffffffffff81168114612871575f5ffd5b50565b67ffffffffffffffff81168114612871575f5ffd5b5f5f6040838503121561289a575f5ffd5b82356128a581612850565b915060208301356128b581612874565b809150509250929050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b602081526fffffffffffffffffffffffffffffffff825116602082015267ffffffffffffffff60208301511660408201525f604083015160608084015261081460808401826128c0565b5f5f83601f840112612948575f5ffd5b50813567ffffffffffffffff81111561295f575f5ffd5b6020830191508360208260051b8501011115612979575f5ffd5b9250929050565b5f5f83601f840112612990575f5ffd5b50813567ffffffffffffffff8111156129a7575f5ffd5b602083019150836020828501011115612979575f5ffd5b5f5f5f5f5f5f5f60a0888a0312156129d4575f5ffd5b87356129df81612850565b965060208801356129ef81612874565b955060408801359450606088013567ffffffffffffffff811115612a11575f5ffd5b612a1d8a828b01612938565b909550935050608088013567ffffffffffffffff811115612a3c575f5ffd5b612a488a828b01612980565b989b979a50959850939692959293505050565b5f60a08284031215612a6b575f5ffd5b50919050565b5f60a08284031215612a81575f5ffd5b612a8b8383612a5b565b9392505050565b5f5f5f60608486031215612aa4575f5ffd5b8335612aaf81612850565b92506020840135612abf81612850565b929592945050506040919091013590565b5f5f5f60608486031215612ae2575f5ffd5b8335612aed81612850565b92506020840135612abf81612874565b7fff000000000000000000000000000000000000000000000000000000000000008816815260e060208201525f612b3760e08301896128c0565b8281036040840152612b4981896128c0565b6060840188905273ffffffffffffffffffffffffffffffffffffffff8716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b81811015612bab578351835260209384019390920191600101612b8d565b50909b9a5050505050505050505050565b5f5f5f5f5f5f6101008789031215612bd2575f5ffd5b612bdc8888612a5b565b955060a087013567ffffffffffffffff811115612bf7575f5ffd5b612c0389828a01612980565b90965094505060c087013567ffffffffffffffff811115612c22575f5ffd5b612c2e89828a01612938565b979a969950949794969560e090950135949350505050565b6fffffffffffffffffffffffffffffffff81168114612871575f5ffd5b5f5f5f5f5f60808688031215612c77575f5ffd5b8535612c8281612874565b9450602086013567ffffffffffffffff811115612c9d575f5ffd5b612ca988828901612980565b9095509350506040860135612cbd81612c46565b91506060860135612ccd81612874565b809150509295509295909350565b5f5f5f5f5f5f5f5f5f6101408a8c031215612cf4575f5ffd5b612cfe8b8b612a5b565b985060a08a013567ffffffffffffffff811115612d19575f5ffd5b612d258c828d01612980565b90995097505060c08a013567ffffffffffffffff811115612d44575f5ffd5b612d508c828d01612938565b90975095505060e08a013593506101008a013592506101208a013567ffffffffffffffff811115612d7f575f5ffd5b612d8b8c828d01612980565b915080935050809150509295985092959850929598565b5f60208284031215612db2575f5ffd5b8135612a8b81612874565b602081525f612a8b60208301846128c0565b600181811c90821680612de357607f821691505b602082108103612a6b577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b808202811582820484141761044e5761044e612e1a565b5f60208284031215612e6e575f5ffd5b5051919050565b5f60208284031215612e85575f5ffd5b8135612a8b81612850565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b60405160e0810167ffffffffffffffff81118282101715612ee057612ee0612e90565b60405290565b8051612ef181612850565b919050565b805160ff81168114612ef1575f5ffd5b805160048110612ef1575f5ffd5b8051612ef181612c46565b8051612ef181612874565b5f82601f830112612f39575f5ffd5b815167ffffffffffffffff811115612f5357612f53612e90565b604051601f8201601f19908116603f0116810167ffffffffffffffff81118282101715612f8257612f82612e90565b604052818152838201602001851015612f99575f5ffd5b8160208501602083015e5f918101602001919091529392505050565b5f60208284031215612fc5575f5ffd5b815167ffffffffffffffff811115612fdb575f5ffd5b820160e08185031215612fec575f5ffd5b612ff4612ebd565b612ffd82612ee6565b815261300b60208301612ef6565b602082015261301c60408301612f06565b604082015261302d60608301612f14565b606082015261303e60808301612f1f565b608082015260a0828101519082015260c082015167ffffffffffffffff811115613066575f5ffd5b61307286828501612f2a565b60c083015250949350505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b601f82111561127f57805f5260205f20601f840160051c810160208510156130d25750805b601f840160051c820191505b8181101561144a575f81556001016130de565b815167ffffffffffffffff81111561310b5761310b612e90565b61311f816131198454612dcf565b846130ad565b6020601f821160018114613170575f831561313a5750848201515b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600385901b1c1916600184901b17845561144a565b5f84815260208120601f198516915b8281101561319f578785015182556020948501946001909201910161317f565b50848210156131db57868401517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600387901b60f8161c191681555b50505050600190811b01905550565b6fffffffffffffffffffffffffffffffff8416815267ffffffffffffffff83166020820152606060408201525f61322460608301846128c0565b95945050505050565b5f81518060208401855e5f93019283525090919050565b7f4d55524d55522d56312d5449434b45542d434841494e2d00000000000000000081525f613275601783018561322d565b7f2d45504f43482d0000000000000000000000000000000000000000000000000081526132a5600782018561322d565b7f5f424c53313233383147315f584d443a5348412d3235365f535357555f524f5f815260200195945050505050565b67ffffffffffffffff818116838216019081111561044e5761044e612e1a565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b5f7f07ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff83111561334e575f5ffd5b8260051b80858437919091019392505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b5f8261339c5761339c613361565b500490565b5f826133af576133af613361565b500690565b8082018082111561044e5761044e612e1a565b5f6133d2828561322d565b9283525050602001919050565b5f612a8b828461322d565b5f6108146133f8838661322d565b8461322d565b5f610a3b6133f8613418613412858a61322d565b8861322d565b8661322d56fe00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa0000000000000000000000000000000013fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed",
}

// TicketIssuer is an auto generated Go binding around an Ethereum contract.
type TicketIssuer struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *TicketIssuer) GetABI() abi.ABI {
	return c.abi
}

// NewTicketIssuer creates a new instance of TicketIssuer.
func NewTicketIssuer() *TicketIssuer {
	parsed, err := TicketIssuerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &TicketIssuer{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *TicketIssuer) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address registry_, address vault_) returns()
func (ticketIssuer *TicketIssuer) PackConstructor(registry_ common.Address, vault_ common.Address) []byte {
	enc, err := ticketIssuer.abi.Pack("", registry_, vault_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXBATCH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x950bff9f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (ticketIssuer *TicketIssuer) PackMAXBATCH() []byte {
	enc, err := ticketIssuer.abi.Pack("MAX_BATCH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXBATCH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x950bff9f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (ticketIssuer *TicketIssuer) TryPackMAXBATCH() ([]byte, error) {
	return ticketIssuer.abi.Pack("MAX_BATCH")
}

// UnpackMAXBATCH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x950bff9f.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (ticketIssuer *TicketIssuer) UnpackMAXBATCH(data []byte) (*big.Int, error) {
	out, err := ticketIssuer.abi.Unpack("MAX_BATCH", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPENALTYMULTIPLIER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3b5cf848.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function PENALTY_MULTIPLIER() view returns(uint256)
func (ticketIssuer *TicketIssuer) PackPENALTYMULTIPLIER() []byte {
	enc, err := ticketIssuer.abi.Pack("PENALTY_MULTIPLIER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPENALTYMULTIPLIER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3b5cf848.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function PENALTY_MULTIPLIER() view returns(uint256)
func (ticketIssuer *TicketIssuer) TryPackPENALTYMULTIPLIER() ([]byte, error) {
	return ticketIssuer.abi.Pack("PENALTY_MULTIPLIER")
}

// UnpackPENALTYMULTIPLIER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3b5cf848.
//
// Solidity: function PENALTY_MULTIPLIER() view returns(uint256)
func (ticketIssuer *TicketIssuer) UnpackPENALTYMULTIPLIER(data []byte) (*big.Int, error) {
	out, err := ticketIssuer.abi.Unpack("PENALTY_MULTIPLIER", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRECEIPTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95850f59.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function RECEIPT_TYPEHASH() view returns(bytes32)
func (ticketIssuer *TicketIssuer) PackRECEIPTTYPEHASH() []byte {
	enc, err := ticketIssuer.abi.Pack("RECEIPT_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRECEIPTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95850f59.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function RECEIPT_TYPEHASH() view returns(bytes32)
func (ticketIssuer *TicketIssuer) TryPackRECEIPTTYPEHASH() ([]byte, error) {
	return ticketIssuer.abi.Pack("RECEIPT_TYPEHASH")
}

// UnpackRECEIPTTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95850f59.
//
// Solidity: function RECEIPT_TYPEHASH() view returns(bytes32)
func (ticketIssuer *TicketIssuer) UnpackRECEIPTTYPEHASH(data []byte) ([32]byte, error) {
	out, err := ticketIssuer.abi.Unpack("RECEIPT_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackREDEMPTIONGRACE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd27d1d83.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REDEMPTION_GRACE() view returns(uint64)
func (ticketIssuer *TicketIssuer) PackREDEMPTIONGRACE() []byte {
	enc, err := ticketIssuer.abi.Pack("REDEMPTION_GRACE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREDEMPTIONGRACE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd27d1d83.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REDEMPTION_GRACE() view returns(uint64)
func (ticketIssuer *TicketIssuer) TryPackREDEMPTIONGRACE() ([]byte, error) {
	return ticketIssuer.abi.Pack("REDEMPTION_GRACE")
}

// UnpackREDEMPTIONGRACE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd27d1d83.
//
// Solidity: function REDEMPTION_GRACE() view returns(uint64)
func (ticketIssuer *TicketIssuer) UnpackREDEMPTIONGRACE(data []byte) (uint64, error) {
	out, err := ticketIssuer.abi.Unpack("REDEMPTION_GRACE", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackREQUESTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9e39b73e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REQUEST_TYPEHASH() view returns(bytes32)
func (ticketIssuer *TicketIssuer) PackREQUESTTYPEHASH() []byte {
	enc, err := ticketIssuer.abi.Pack("REQUEST_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREQUESTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9e39b73e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REQUEST_TYPEHASH() view returns(bytes32)
func (ticketIssuer *TicketIssuer) TryPackREQUESTTYPEHASH() ([]byte, error) {
	return ticketIssuer.abi.Pack("REQUEST_TYPEHASH")
}

// UnpackREQUESTTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9e39b73e.
//
// Solidity: function REQUEST_TYPEHASH() view returns(bytes32)
func (ticketIssuer *TicketIssuer) UnpackREQUESTTYPEHASH(data []byte) ([32]byte, error) {
	out, err := ticketIssuer.abi.Unpack("REQUEST_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (ticketIssuer *TicketIssuer) PackDomainSeparator() []byte {
	enc, err := ticketIssuer.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (ticketIssuer *TicketIssuer) TryPackDomainSeparator() ([]byte, error) {
	return ticketIssuer.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (ticketIssuer *TicketIssuer) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := ticketIssuer.abi.Unpack("domainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackKeyOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0001f46b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function keyOf(address issuer, uint64 keyEpoch) view returns((uint128,uint64,bytes))
func (ticketIssuer *TicketIssuer) PackKeyOf(issuer common.Address, keyEpoch uint64) []byte {
	enc, err := ticketIssuer.abi.Pack("keyOf", issuer, keyEpoch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackKeyOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0001f46b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function keyOf(address issuer, uint64 keyEpoch) view returns((uint128,uint64,bytes))
func (ticketIssuer *TicketIssuer) TryPackKeyOf(issuer common.Address, keyEpoch uint64) ([]byte, error) {
	return ticketIssuer.abi.Pack("keyOf", issuer, keyEpoch)
}

// UnpackKeyOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0001f46b.
//
// Solidity: function keyOf(address issuer, uint64 keyEpoch) view returns((uint128,uint64,bytes))
func (ticketIssuer *TicketIssuer) UnpackKeyOf(data []byte) (ITicketIssuerKey, error) {
	out, err := ticketIssuer.abi.Unpack("keyOf", data)
	if err != nil {
		return *new(ITicketIssuerKey), err
	}
	out0 := *abi.ConvertType(out[0], new(ITicketIssuerKey)).(*ITicketIssuerKey)
	return out0, nil
}

// PackProveDoubleRedemption is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8a816997.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function proveDoubleRedemption((address,address,uint64,bytes32,uint256) request, bytes providerSignature, bytes32[] serials, uint256 index) returns(uint256 slashed)
func (ticketIssuer *TicketIssuer) PackProveDoubleRedemption(request ITicketIssuerRedemptionRequest, providerSignature []byte, serials [][32]byte, index *big.Int) []byte {
	enc, err := ticketIssuer.abi.Pack("proveDoubleRedemption", request, providerSignature, serials, index)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProveDoubleRedemption is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8a816997.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function proveDoubleRedemption((address,address,uint64,bytes32,uint256) request, bytes providerSignature, bytes32[] serials, uint256 index) returns(uint256 slashed)
func (ticketIssuer *TicketIssuer) TryPackProveDoubleRedemption(request ITicketIssuerRedemptionRequest, providerSignature []byte, serials [][32]byte, index *big.Int) ([]byte, error) {
	return ticketIssuer.abi.Pack("proveDoubleRedemption", request, providerSignature, serials, index)
}

// UnpackProveDoubleRedemption is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8a816997.
//
// Solidity: function proveDoubleRedemption((address,address,uint64,bytes32,uint256) request, bytes providerSignature, bytes32[] serials, uint256 index) returns(uint256 slashed)
func (ticketIssuer *TicketIssuer) UnpackProveDoubleRedemption(data []byte) (*big.Int, error) {
	out, err := ticketIssuer.abi.Unpack("proveDoubleRedemption", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackProveDoubleRedemptionWithReceipt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe91c7e09.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function proveDoubleRedemptionWithReceipt((address,address,uint64,bytes32,uint256) request, bytes providerSignature, bytes32[] serials, uint256 index, uint256 receiptValue, bytes receiptSignature) returns(uint256 slashed)
func (ticketIssuer *TicketIssuer) PackProveDoubleRedemptionWithReceipt(request ITicketIssuerRedemptionRequest, providerSignature []byte, serials [][32]byte, index *big.Int, receiptValue *big.Int, receiptSignature []byte) []byte {
	enc, err := ticketIssuer.abi.Pack("proveDoubleRedemptionWithReceipt", request, providerSignature, serials, index, receiptValue, receiptSignature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProveDoubleRedemptionWithReceipt is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe91c7e09.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function proveDoubleRedemptionWithReceipt((address,address,uint64,bytes32,uint256) request, bytes providerSignature, bytes32[] serials, uint256 index, uint256 receiptValue, bytes receiptSignature) returns(uint256 slashed)
func (ticketIssuer *TicketIssuer) TryPackProveDoubleRedemptionWithReceipt(request ITicketIssuerRedemptionRequest, providerSignature []byte, serials [][32]byte, index *big.Int, receiptValue *big.Int, receiptSignature []byte) ([]byte, error) {
	return ticketIssuer.abi.Pack("proveDoubleRedemptionWithReceipt", request, providerSignature, serials, index, receiptValue, receiptSignature)
}

// UnpackProveDoubleRedemptionWithReceipt is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe91c7e09.
//
// Solidity: function proveDoubleRedemptionWithReceipt((address,address,uint64,bytes32,uint256) request, bytes providerSignature, bytes32[] serials, uint256 index, uint256 receiptValue, bytes receiptSignature) returns(uint256 slashed)
func (ticketIssuer *TicketIssuer) UnpackProveDoubleRedemptionWithReceipt(data []byte) (*big.Int, error) {
	out, err := ticketIssuer.abi.Unpack("proveDoubleRedemptionWithReceipt", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPublishKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91ebd6d8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function publishKey(uint64 keyEpoch, bytes publicKey, uint128 value, uint64 expiresAt) returns()
func (ticketIssuer *TicketIssuer) PackPublishKey(keyEpoch uint64, publicKey []byte, value *big.Int, expiresAt uint64) []byte {
	enc, err := ticketIssuer.abi.Pack("publishKey", keyEpoch, publicKey, value, expiresAt)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPublishKey is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91ebd6d8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function publishKey(uint64 keyEpoch, bytes publicKey, uint128 value, uint64 expiresAt) returns()
func (ticketIssuer *TicketIssuer) TryPackPublishKey(keyEpoch uint64, publicKey []byte, value *big.Int, expiresAt uint64) ([]byte, error) {
	return ticketIssuer.abi.Pack("publishKey", keyEpoch, publicKey, value, expiresAt)
}

// PackReceiptDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5d777fa1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function receiptDigest(address issuer, address provider, uint256 cumulativeValue) view returns(bytes32)
func (ticketIssuer *TicketIssuer) PackReceiptDigest(issuer common.Address, provider common.Address, cumulativeValue *big.Int) []byte {
	enc, err := ticketIssuer.abi.Pack("receiptDigest", issuer, provider, cumulativeValue)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReceiptDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5d777fa1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function receiptDigest(address issuer, address provider, uint256 cumulativeValue) view returns(bytes32)
func (ticketIssuer *TicketIssuer) TryPackReceiptDigest(issuer common.Address, provider common.Address, cumulativeValue *big.Int) ([]byte, error) {
	return ticketIssuer.abi.Pack("receiptDigest", issuer, provider, cumulativeValue)
}

// UnpackReceiptDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5d777fa1.
//
// Solidity: function receiptDigest(address issuer, address provider, uint256 cumulativeValue) view returns(bytes32)
func (ticketIssuer *TicketIssuer) UnpackReceiptDigest(data []byte) ([32]byte, error) {
	out, err := ticketIssuer.abi.Unpack("receiptDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRedeem is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ab3ca0a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function redeem(address issuer, uint64 keyEpoch, uint256 expectedValue, bytes32[] serials, bytes aggregateSignature) returns(uint256 paid)
func (ticketIssuer *TicketIssuer) PackRedeem(issuer common.Address, keyEpoch uint64, expectedValue *big.Int, serials [][32]byte, aggregateSignature []byte) []byte {
	enc, err := ticketIssuer.abi.Pack("redeem", issuer, keyEpoch, expectedValue, serials, aggregateSignature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRedeem is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ab3ca0a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function redeem(address issuer, uint64 keyEpoch, uint256 expectedValue, bytes32[] serials, bytes aggregateSignature) returns(uint256 paid)
func (ticketIssuer *TicketIssuer) TryPackRedeem(issuer common.Address, keyEpoch uint64, expectedValue *big.Int, serials [][32]byte, aggregateSignature []byte) ([]byte, error) {
	return ticketIssuer.abi.Pack("redeem", issuer, keyEpoch, expectedValue, serials, aggregateSignature)
}

// UnpackRedeem is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0ab3ca0a.
//
// Solidity: function redeem(address issuer, uint64 keyEpoch, uint256 expectedValue, bytes32[] serials, bytes aggregateSignature) returns(uint256 paid)
func (ticketIssuer *TicketIssuer) UnpackRedeem(data []byte) (*big.Int, error) {
	out, err := ticketIssuer.abi.Unpack("redeem", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRedeemerOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x82e2e4fd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function redeemerOf(address issuer, uint64 keyEpoch, bytes32 serial) view returns(address)
func (ticketIssuer *TicketIssuer) PackRedeemerOf(issuer common.Address, keyEpoch uint64, serial [32]byte) []byte {
	enc, err := ticketIssuer.abi.Pack("redeemerOf", issuer, keyEpoch, serial)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRedeemerOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x82e2e4fd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function redeemerOf(address issuer, uint64 keyEpoch, bytes32 serial) view returns(address)
func (ticketIssuer *TicketIssuer) TryPackRedeemerOf(issuer common.Address, keyEpoch uint64, serial [32]byte) ([]byte, error) {
	return ticketIssuer.abi.Pack("redeemerOf", issuer, keyEpoch, serial)
}

// UnpackRedeemerOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x82e2e4fd.
//
// Solidity: function redeemerOf(address issuer, uint64 keyEpoch, bytes32 serial) view returns(address)
func (ticketIssuer *TicketIssuer) UnpackRedeemerOf(data []byte) (common.Address, error) {
	out, err := ticketIssuer.abi.Unpack("redeemerOf", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registry() view returns(address)
func (ticketIssuer *TicketIssuer) PackRegistry() []byte {
	enc, err := ticketIssuer.abi.Pack("registry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registry() view returns(address)
func (ticketIssuer *TicketIssuer) TryPackRegistry() ([]byte, error) {
	return ticketIssuer.abi.Pack("registry")
}

// UnpackRegistry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (ticketIssuer *TicketIssuer) UnpackRegistry(data []byte) (common.Address, error) {
	out, err := ticketIssuer.abi.Unpack("registry", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRequestDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f979fc2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function requestDigest((address,address,uint64,bytes32,uint256) request) view returns(bytes32)
func (ticketIssuer *TicketIssuer) PackRequestDigest(request ITicketIssuerRedemptionRequest) []byte {
	enc, err := ticketIssuer.abi.Pack("requestDigest", request)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequestDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f979fc2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function requestDigest((address,address,uint64,bytes32,uint256) request) view returns(bytes32)
func (ticketIssuer *TicketIssuer) TryPackRequestDigest(request ITicketIssuerRedemptionRequest) ([]byte, error) {
	return ticketIssuer.abi.Pack("requestDigest", request)
}

// UnpackRequestDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3f979fc2.
//
// Solidity: function requestDigest((address,address,uint64,bytes32,uint256) request) view returns(bytes32)
func (ticketIssuer *TicketIssuer) UnpackRequestDigest(data []byte) ([32]byte, error) {
	out, err := ticketIssuer.abi.Unpack("requestDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackTicketDST is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xffb08364.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ticketDST(uint64 keyEpoch) view returns(bytes)
func (ticketIssuer *TicketIssuer) PackTicketDST(keyEpoch uint64) []byte {
	enc, err := ticketIssuer.abi.Pack("ticketDST", keyEpoch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTicketDST is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xffb08364.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ticketDST(uint64 keyEpoch) view returns(bytes)
func (ticketIssuer *TicketIssuer) TryPackTicketDST(keyEpoch uint64) ([]byte, error) {
	return ticketIssuer.abi.Pack("ticketDST", keyEpoch)
}

// UnpackTicketDST is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xffb08364.
//
// Solidity: function ticketDST(uint64 keyEpoch) view returns(bytes)
func (ticketIssuer *TicketIssuer) UnpackTicketDST(data []byte) ([]byte, error) {
	out, err := ticketIssuer.abi.Unpack("ticketDST", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackVault is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfbfa77cf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function vault() view returns(address)
func (ticketIssuer *TicketIssuer) PackVault() []byte {
	enc, err := ticketIssuer.abi.Pack("vault")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVault is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfbfa77cf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function vault() view returns(address)
func (ticketIssuer *TicketIssuer) TryPackVault() ([]byte, error) {
	return ticketIssuer.abi.Pack("vault")
}

// UnpackVault is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfbfa77cf.
//
// Solidity: function vault() view returns(address)
func (ticketIssuer *TicketIssuer) UnpackVault(data []byte) (common.Address, error) {
	out, err := ticketIssuer.abi.Unpack("vault", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// TicketIssuerDoubleRedemptionProven represents a DoubleRedemptionProven event raised by the TicketIssuer contract.
type TicketIssuerDoubleRedemptionProven struct {
	Provider common.Address
	Issuer   common.Address
	Serial   [32]byte
	Slashed  *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const TicketIssuerDoubleRedemptionProvenEventName = "DoubleRedemptionProven"

// ContractEventName returns the user-defined event name.
func (TicketIssuerDoubleRedemptionProven) ContractEventName() string {
	return TicketIssuerDoubleRedemptionProvenEventName
}

// UnpackDoubleRedemptionProvenEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DoubleRedemptionProven(address indexed provider, address indexed issuer, bytes32 serial, uint256 slashed)
func (ticketIssuer *TicketIssuer) UnpackDoubleRedemptionProvenEvent(log *types.Log) (*TicketIssuerDoubleRedemptionProven, error) {
	event := "DoubleRedemptionProven"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketIssuer.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketIssuerDoubleRedemptionProven)
	if len(log.Data) > 0 {
		if err := ticketIssuer.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketIssuer.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// TicketIssuerEIP712DomainChanged represents a EIP712DomainChanged event raised by the TicketIssuer contract.
type TicketIssuerEIP712DomainChanged struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const TicketIssuerEIP712DomainChangedEventName = "EIP712DomainChanged"

// ContractEventName returns the user-defined event name.
func (TicketIssuerEIP712DomainChanged) ContractEventName() string {
	return TicketIssuerEIP712DomainChangedEventName
}

// UnpackEIP712DomainChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EIP712DomainChanged()
func (ticketIssuer *TicketIssuer) UnpackEIP712DomainChangedEvent(log *types.Log) (*TicketIssuerEIP712DomainChanged, error) {
	event := "EIP712DomainChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketIssuer.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketIssuerEIP712DomainChanged)
	if len(log.Data) > 0 {
		if err := ticketIssuer.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketIssuer.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// TicketIssuerKeyPublished represents a KeyPublished event raised by the TicketIssuer contract.
type TicketIssuerKeyPublished struct {
	Issuer    common.Address
	KeyEpoch  uint64
	Value     *big.Int
	ExpiresAt uint64
	PublicKey []byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const TicketIssuerKeyPublishedEventName = "KeyPublished"

// ContractEventName returns the user-defined event name.
func (TicketIssuerKeyPublished) ContractEventName() string {
	return TicketIssuerKeyPublishedEventName
}

// UnpackKeyPublishedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event KeyPublished(address indexed issuer, uint64 indexed keyEpoch, uint128 value, uint64 expiresAt, bytes publicKey)
func (ticketIssuer *TicketIssuer) UnpackKeyPublishedEvent(log *types.Log) (*TicketIssuerKeyPublished, error) {
	event := "KeyPublished"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketIssuer.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketIssuerKeyPublished)
	if len(log.Data) > 0 {
		if err := ticketIssuer.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketIssuer.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// TicketIssuerRedeemed represents a Redeemed event raised by the TicketIssuer contract.
type TicketIssuerRedeemed struct {
	Issuer   common.Address
	KeyEpoch uint64
	Redeemer common.Address
	Count    *big.Int
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const TicketIssuerRedeemedEventName = "Redeemed"

// ContractEventName returns the user-defined event name.
func (TicketIssuerRedeemed) ContractEventName() string {
	return TicketIssuerRedeemedEventName
}

// UnpackRedeemedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Redeemed(address indexed issuer, uint64 indexed keyEpoch, address indexed redeemer, uint256 count, uint256 amount)
func (ticketIssuer *TicketIssuer) UnpackRedeemedEvent(log *types.Log) (*TicketIssuerRedeemed, error) {
	event := "Redeemed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != ticketIssuer.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TicketIssuerRedeemed)
	if len(log.Data) > 0 {
		if err := ticketIssuer.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range ticketIssuer.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (ticketIssuer *TicketIssuer) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["AlreadyRedeemed"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackAlreadyRedeemedError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["DSTTooLong"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackDSTTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["DuplicateSerial"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackDuplicateSerialError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["InvalidBatchSize"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackInvalidBatchSizeError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["InvalidKeyParameters"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackInvalidKeyParametersError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["InvalidPointEncoding"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackInvalidPointEncodingError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["InvalidPublicKey"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackInvalidPublicKeyError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["InvalidReceiptSignature"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackInvalidReceiptSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["InvalidRequestSignature"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackInvalidRequestSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["InvalidShortString"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackInvalidShortStringError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["IssuerStakeInsufficient"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackIssuerStakeInsufficientError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["KeyAlreadyPublished"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackKeyAlreadyPublishedError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["KeyEpochExpired"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackKeyEpochExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["NotIssuer"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackNotIssuerError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["NotPaidOffChain"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackNotPaidOffChainError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["NotRedeemedOnChainBy"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackNotRedeemedOnChainByError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["PointNotInSubgroup"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackPointNotInSubgroupError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["PointNotOnCurve"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackPointNotOnCurveError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["PrecompileFailed"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackPrecompileFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["ReceiptTooLow"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackReceiptTooLowError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["ReentrancyGuardReentrantCall"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackReentrancyGuardReentrantCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["SerialsMismatch"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackSerialsMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["SignatureAtInfinity"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackSignatureAtInfinityError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["StringTooLong"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackStringTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["UnknownKeyEpoch"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackUnknownKeyEpochError(raw[4:])
	}
	if bytes.Equal(raw[:4], ticketIssuer.abi.Errors["WrongValue"].ID.Bytes()[:4]) {
		return ticketIssuer.UnpackWrongValueError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// TicketIssuerAlreadyRedeemed represents a AlreadyRedeemed error raised by the TicketIssuer contract.
type TicketIssuerAlreadyRedeemed struct {
	Serial   [32]byte
	Redeemer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRedeemed(bytes32 serial, address redeemer)
func TicketIssuerAlreadyRedeemedErrorID() common.Hash {
	return common.HexToHash("0x9e8d7f913783261465b73781309a3656b4221c328893741ea48e7d14f2e09a3f")
}

// UnpackAlreadyRedeemedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRedeemed(bytes32 serial, address redeemer)
func (ticketIssuer *TicketIssuer) UnpackAlreadyRedeemedError(raw []byte) (*TicketIssuerAlreadyRedeemed, error) {
	out := new(TicketIssuerAlreadyRedeemed)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "AlreadyRedeemed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerDSTTooLong represents a DSTTooLong error raised by the TicketIssuer contract.
type TicketIssuerDSTTooLong struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DSTTooLong()
func TicketIssuerDSTTooLongErrorID() common.Hash {
	return common.HexToHash("0x635fb71c4ee9c75fca7dfa161623bf840e8c45de5061ebea95ef7884b4099da2")
}

// UnpackDSTTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DSTTooLong()
func (ticketIssuer *TicketIssuer) UnpackDSTTooLongError(raw []byte) (*TicketIssuerDSTTooLong, error) {
	out := new(TicketIssuerDSTTooLong)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "DSTTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerDuplicateSerial represents a DuplicateSerial error raised by the TicketIssuer contract.
type TicketIssuerDuplicateSerial struct {
	Serial [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DuplicateSerial(bytes32 serial)
func TicketIssuerDuplicateSerialErrorID() common.Hash {
	return common.HexToHash("0xcf59fbc2972078320863750f0a10292c2cda40a534a803dc357589c6066523fb")
}

// UnpackDuplicateSerialError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DuplicateSerial(bytes32 serial)
func (ticketIssuer *TicketIssuer) UnpackDuplicateSerialError(raw []byte) (*TicketIssuerDuplicateSerial, error) {
	out := new(TicketIssuerDuplicateSerial)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "DuplicateSerial", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerInvalidBatchSize represents a InvalidBatchSize error raised by the TicketIssuer contract.
type TicketIssuerInvalidBatchSize struct {
	Size *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidBatchSize(uint256 size)
func TicketIssuerInvalidBatchSizeErrorID() common.Hash {
	return common.HexToHash("0xa6f7498550a31b8c7274d1722871e3cb23f5b8c01d44780190be594eaaeb4965")
}

// UnpackInvalidBatchSizeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidBatchSize(uint256 size)
func (ticketIssuer *TicketIssuer) UnpackInvalidBatchSizeError(raw []byte) (*TicketIssuerInvalidBatchSize, error) {
	out := new(TicketIssuerInvalidBatchSize)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "InvalidBatchSize", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerInvalidKeyParameters represents a InvalidKeyParameters error raised by the TicketIssuer contract.
type TicketIssuerInvalidKeyParameters struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidKeyParameters()
func TicketIssuerInvalidKeyParametersErrorID() common.Hash {
	return common.HexToHash("0xe64226f460e5e5ae7c641c16e93df3596a70e8706234d798a9c622ceb867eef8")
}

// UnpackInvalidKeyParametersError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidKeyParameters()
func (ticketIssuer *TicketIssuer) UnpackInvalidKeyParametersError(raw []byte) (*TicketIssuerInvalidKeyParameters, error) {
	out := new(TicketIssuerInvalidKeyParameters)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "InvalidKeyParameters", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerInvalidPointEncoding represents a InvalidPointEncoding error raised by the TicketIssuer contract.
type TicketIssuerInvalidPointEncoding struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidPointEncoding()
func TicketIssuerInvalidPointEncodingErrorID() common.Hash {
	return common.HexToHash("0x52ea7167716fc2151a0fbfdf2f26663ef37a5a60fa34c39e8ab066adfa5914bb")
}

// UnpackInvalidPointEncodingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidPointEncoding()
func (ticketIssuer *TicketIssuer) UnpackInvalidPointEncodingError(raw []byte) (*TicketIssuerInvalidPointEncoding, error) {
	out := new(TicketIssuerInvalidPointEncoding)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "InvalidPointEncoding", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerInvalidPublicKey represents a InvalidPublicKey error raised by the TicketIssuer contract.
type TicketIssuerInvalidPublicKey struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidPublicKey()
func TicketIssuerInvalidPublicKeyErrorID() common.Hash {
	return common.HexToHash("0xa2d0fee854985cb3d3a394146b5df1c41d5b4d6fcede7fc57a3c05a49b2f3e73")
}

// UnpackInvalidPublicKeyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidPublicKey()
func (ticketIssuer *TicketIssuer) UnpackInvalidPublicKeyError(raw []byte) (*TicketIssuerInvalidPublicKey, error) {
	out := new(TicketIssuerInvalidPublicKey)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "InvalidPublicKey", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerInvalidReceiptSignature represents a InvalidReceiptSignature error raised by the TicketIssuer contract.
type TicketIssuerInvalidReceiptSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidReceiptSignature()
func TicketIssuerInvalidReceiptSignatureErrorID() common.Hash {
	return common.HexToHash("0xb66f9ed2d48d46e345eb88e2691d76c83d72b9a8ca34f7a01e2b733be2f5f56d")
}

// UnpackInvalidReceiptSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidReceiptSignature()
func (ticketIssuer *TicketIssuer) UnpackInvalidReceiptSignatureError(raw []byte) (*TicketIssuerInvalidReceiptSignature, error) {
	out := new(TicketIssuerInvalidReceiptSignature)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "InvalidReceiptSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerInvalidRequestSignature represents a InvalidRequestSignature error raised by the TicketIssuer contract.
type TicketIssuerInvalidRequestSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRequestSignature()
func TicketIssuerInvalidRequestSignatureErrorID() common.Hash {
	return common.HexToHash("0xe723ed2c396f18ea0dfb4b789e0d430ff6179bb0c69065e3eab454f1b4280c99")
}

// UnpackInvalidRequestSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRequestSignature()
func (ticketIssuer *TicketIssuer) UnpackInvalidRequestSignatureError(raw []byte) (*TicketIssuerInvalidRequestSignature, error) {
	out := new(TicketIssuerInvalidRequestSignature)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "InvalidRequestSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerInvalidShortString represents a InvalidShortString error raised by the TicketIssuer contract.
type TicketIssuerInvalidShortString struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShortString()
func TicketIssuerInvalidShortStringErrorID() common.Hash {
	return common.HexToHash("0xb3512b0c6163e5f0bafab72bb631b9d58cd7a731b082f910338aa21c83d5c274")
}

// UnpackInvalidShortStringError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShortString()
func (ticketIssuer *TicketIssuer) UnpackInvalidShortStringError(raw []byte) (*TicketIssuerInvalidShortString, error) {
	out := new(TicketIssuerInvalidShortString)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "InvalidShortString", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerInvalidSignature represents a InvalidSignature error raised by the TicketIssuer contract.
type TicketIssuerInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func TicketIssuerInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (ticketIssuer *TicketIssuer) UnpackInvalidSignatureError(raw []byte) (*TicketIssuerInvalidSignature, error) {
	out := new(TicketIssuerInvalidSignature)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerIssuerStakeInsufficient represents a IssuerStakeInsufficient error raised by the TicketIssuer contract.
type TicketIssuerIssuerStakeInsufficient struct {
	Stake *big.Int
	Owed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error IssuerStakeInsufficient(uint256 stake, uint256 owed)
func TicketIssuerIssuerStakeInsufficientErrorID() common.Hash {
	return common.HexToHash("0xd2ee3349aa6f9a06ba756fa9da2bb16a9ffccd078ebbc288aed45b20b20ff91d")
}

// UnpackIssuerStakeInsufficientError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error IssuerStakeInsufficient(uint256 stake, uint256 owed)
func (ticketIssuer *TicketIssuer) UnpackIssuerStakeInsufficientError(raw []byte) (*TicketIssuerIssuerStakeInsufficient, error) {
	out := new(TicketIssuerIssuerStakeInsufficient)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "IssuerStakeInsufficient", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerKeyAlreadyPublished represents a KeyAlreadyPublished error raised by the TicketIssuer contract.
type TicketIssuerKeyAlreadyPublished struct {
	Issuer   common.Address
	KeyEpoch uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error KeyAlreadyPublished(address issuer, uint64 keyEpoch)
func TicketIssuerKeyAlreadyPublishedErrorID() common.Hash {
	return common.HexToHash("0x217dc5344af2b177143d7ce482b295cef1be6b4fddb48392c2455fbb9d3ff20a")
}

// UnpackKeyAlreadyPublishedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error KeyAlreadyPublished(address issuer, uint64 keyEpoch)
func (ticketIssuer *TicketIssuer) UnpackKeyAlreadyPublishedError(raw []byte) (*TicketIssuerKeyAlreadyPublished, error) {
	out := new(TicketIssuerKeyAlreadyPublished)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "KeyAlreadyPublished", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerKeyEpochExpired represents a KeyEpochExpired error raised by the TicketIssuer contract.
type TicketIssuerKeyEpochExpired struct {
	Issuer          common.Address
	KeyEpoch        uint64
	RedeemableUntil uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error KeyEpochExpired(address issuer, uint64 keyEpoch, uint64 redeemableUntil)
func TicketIssuerKeyEpochExpiredErrorID() common.Hash {
	return common.HexToHash("0x8b671450031cb6876c80713938d5e932996c486439a9f6927bedbc6bb34a444a")
}

// UnpackKeyEpochExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error KeyEpochExpired(address issuer, uint64 keyEpoch, uint64 redeemableUntil)
func (ticketIssuer *TicketIssuer) UnpackKeyEpochExpiredError(raw []byte) (*TicketIssuerKeyEpochExpired, error) {
	out := new(TicketIssuerKeyEpochExpired)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "KeyEpochExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerNotIssuer represents a NotIssuer error raised by the TicketIssuer contract.
type TicketIssuerNotIssuer struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotIssuer(address caller)
func TicketIssuerNotIssuerErrorID() common.Hash {
	return common.HexToHash("0x3fd26f9e33c9918e06ecb7ad4289a3ea9a31c60d80fdf1b560567d3b8d749885")
}

// UnpackNotIssuerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotIssuer(address caller)
func (ticketIssuer *TicketIssuer) UnpackNotIssuerError(raw []byte) (*TicketIssuerNotIssuer, error) {
	out := new(TicketIssuerNotIssuer)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "NotIssuer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerNotPaidOffChain represents a NotPaidOffChain error raised by the TicketIssuer contract.
type TicketIssuerNotPaidOffChain struct {
	Cashed           *big.Int
	CumulativeAmount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPaidOffChain(uint256 cashed, uint256 cumulativeAmount)
func TicketIssuerNotPaidOffChainErrorID() common.Hash {
	return common.HexToHash("0x06938b5d704ed4362a5aba0d6fcb4b28874d1e6b2f82a266dabbf788e75793e9")
}

// UnpackNotPaidOffChainError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPaidOffChain(uint256 cashed, uint256 cumulativeAmount)
func (ticketIssuer *TicketIssuer) UnpackNotPaidOffChainError(raw []byte) (*TicketIssuerNotPaidOffChain, error) {
	out := new(TicketIssuerNotPaidOffChain)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "NotPaidOffChain", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerNotRedeemedOnChainBy represents a NotRedeemedOnChainBy error raised by the TicketIssuer contract.
type TicketIssuerNotRedeemedOnChainBy struct {
	Serial   [32]byte
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRedeemedOnChainBy(bytes32 serial, address provider)
func TicketIssuerNotRedeemedOnChainByErrorID() common.Hash {
	return common.HexToHash("0xebc806d2cc9af27536b0ff9af0d604d16b3d609ab9e8deddee7eb6e0f29ab2b4")
}

// UnpackNotRedeemedOnChainByError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRedeemedOnChainBy(bytes32 serial, address provider)
func (ticketIssuer *TicketIssuer) UnpackNotRedeemedOnChainByError(raw []byte) (*TicketIssuerNotRedeemedOnChainBy, error) {
	out := new(TicketIssuerNotRedeemedOnChainBy)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "NotRedeemedOnChainBy", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerPointNotInSubgroup represents a PointNotInSubgroup error raised by the TicketIssuer contract.
type TicketIssuerPointNotInSubgroup struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PointNotInSubgroup()
func TicketIssuerPointNotInSubgroupErrorID() common.Hash {
	return common.HexToHash("0xb28e789154918a5643efb041895f9a2c86ab9f7d7fa99fb24997814c38ac026a")
}

// UnpackPointNotInSubgroupError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PointNotInSubgroup()
func (ticketIssuer *TicketIssuer) UnpackPointNotInSubgroupError(raw []byte) (*TicketIssuerPointNotInSubgroup, error) {
	out := new(TicketIssuerPointNotInSubgroup)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "PointNotInSubgroup", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerPointNotOnCurve represents a PointNotOnCurve error raised by the TicketIssuer contract.
type TicketIssuerPointNotOnCurve struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PointNotOnCurve()
func TicketIssuerPointNotOnCurveErrorID() common.Hash {
	return common.HexToHash("0xa3d28e13e3524ba09454989c5e3d499cbe316305462b18518976e55f0690de86")
}

// UnpackPointNotOnCurveError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PointNotOnCurve()
func (ticketIssuer *TicketIssuer) UnpackPointNotOnCurveError(raw []byte) (*TicketIssuerPointNotOnCurve, error) {
	out := new(TicketIssuerPointNotOnCurve)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "PointNotOnCurve", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerPrecompileFailed represents a PrecompileFailed error raised by the TicketIssuer contract.
type TicketIssuerPrecompileFailed struct {
	Precompile common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PrecompileFailed(address precompile)
func TicketIssuerPrecompileFailedErrorID() common.Hash {
	return common.HexToHash("0xeb8d043ad9930b483be478f76fc57acdc905a2680c78dd9d6c7c2b2029709f6b")
}

// UnpackPrecompileFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PrecompileFailed(address precompile)
func (ticketIssuer *TicketIssuer) UnpackPrecompileFailedError(raw []byte) (*TicketIssuerPrecompileFailed, error) {
	out := new(TicketIssuerPrecompileFailed)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "PrecompileFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerReceiptTooLow represents a ReceiptTooLow error raised by the TicketIssuer contract.
type TicketIssuerReceiptTooLow struct {
	Receipted        *big.Int
	CumulativeAmount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReceiptTooLow(uint256 receipted, uint256 cumulativeAmount)
func TicketIssuerReceiptTooLowErrorID() common.Hash {
	return common.HexToHash("0x99461793272a743cd10376eea31347254bc5c858f389298637795064e460cba6")
}

// UnpackReceiptTooLowError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReceiptTooLow(uint256 receipted, uint256 cumulativeAmount)
func (ticketIssuer *TicketIssuer) UnpackReceiptTooLowError(raw []byte) (*TicketIssuerReceiptTooLow, error) {
	out := new(TicketIssuerReceiptTooLow)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "ReceiptTooLow", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerReentrancyGuardReentrantCall represents a ReentrancyGuardReentrantCall error raised by the TicketIssuer contract.
type TicketIssuerReentrancyGuardReentrantCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReentrancyGuardReentrantCall()
func TicketIssuerReentrancyGuardReentrantCallErrorID() common.Hash {
	return common.HexToHash("0x3ee5aeb571de7fc460830b4d0017439a1ca56fb0bc39062227ade4fe4a24c1ca")
}

// UnpackReentrancyGuardReentrantCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReentrancyGuardReentrantCall()
func (ticketIssuer *TicketIssuer) UnpackReentrancyGuardReentrantCallError(raw []byte) (*TicketIssuerReentrancyGuardReentrantCall, error) {
	out := new(TicketIssuerReentrancyGuardReentrantCall)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "ReentrancyGuardReentrantCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerSerialsMismatch represents a SerialsMismatch error raised by the TicketIssuer contract.
type TicketIssuerSerialsMismatch struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SerialsMismatch()
func TicketIssuerSerialsMismatchErrorID() common.Hash {
	return common.HexToHash("0x20e0ea89bcc01e7bc71369c115f680305cf8baaa70dea411d7dd2ad272a5cb40")
}

// UnpackSerialsMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SerialsMismatch()
func (ticketIssuer *TicketIssuer) UnpackSerialsMismatchError(raw []byte) (*TicketIssuerSerialsMismatch, error) {
	out := new(TicketIssuerSerialsMismatch)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "SerialsMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerSignatureAtInfinity represents a SignatureAtInfinity error raised by the TicketIssuer contract.
type TicketIssuerSignatureAtInfinity struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SignatureAtInfinity()
func TicketIssuerSignatureAtInfinityErrorID() common.Hash {
	return common.HexToHash("0x54656aa0463ac70f3a6eb55161a23d6fe66fc3c118a153363c2836e98352c56a")
}

// UnpackSignatureAtInfinityError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SignatureAtInfinity()
func (ticketIssuer *TicketIssuer) UnpackSignatureAtInfinityError(raw []byte) (*TicketIssuerSignatureAtInfinity, error) {
	out := new(TicketIssuerSignatureAtInfinity)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "SignatureAtInfinity", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerStringTooLong represents a StringTooLong error raised by the TicketIssuer contract.
type TicketIssuerStringTooLong struct {
	Str string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StringTooLong(string str)
func TicketIssuerStringTooLongErrorID() common.Hash {
	return common.HexToHash("0x305a27a93f8e33b7392df0a0f91d6fc63847395853c45991eec52dbf24d72381")
}

// UnpackStringTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StringTooLong(string str)
func (ticketIssuer *TicketIssuer) UnpackStringTooLongError(raw []byte) (*TicketIssuerStringTooLong, error) {
	out := new(TicketIssuerStringTooLong)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "StringTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerUnknownKeyEpoch represents a UnknownKeyEpoch error raised by the TicketIssuer contract.
type TicketIssuerUnknownKeyEpoch struct {
	Issuer   common.Address
	KeyEpoch uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownKeyEpoch(address issuer, uint64 keyEpoch)
func TicketIssuerUnknownKeyEpochErrorID() common.Hash {
	return common.HexToHash("0x1e73b0e5242eb9cc098461658d28bf4dcc62b11a8fe5b1464c5e36002ebf8e35")
}

// UnpackUnknownKeyEpochError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownKeyEpoch(address issuer, uint64 keyEpoch)
func (ticketIssuer *TicketIssuer) UnpackUnknownKeyEpochError(raw []byte) (*TicketIssuerUnknownKeyEpoch, error) {
	out := new(TicketIssuerUnknownKeyEpoch)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "UnknownKeyEpoch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TicketIssuerWrongValue represents a WrongValue error raised by the TicketIssuer contract.
type TicketIssuerWrongValue struct {
	KeyValue *big.Int
	Expected *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongValue(uint256 keyValue, uint256 expected)
func TicketIssuerWrongValueErrorID() common.Hash {
	return common.HexToHash("0x195a3ca12ac3744ef64727effb118b3b203c382e49c7a7d24d450eae5e3b889a")
}

// UnpackWrongValueError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongValue(uint256 keyValue, uint256 expected)
func (ticketIssuer *TicketIssuer) UnpackWrongValueError(raw []byte) (*TicketIssuerWrongValue, error) {
	out := new(TicketIssuerWrongValue)
	if err := ticketIssuer.abi.UnpackIntoInterface(out, "WrongValue", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultMetaData contains all meta data concerning the Vault contract.
var VaultMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIRelayRegistry\",\"name\":\"registry_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"withdrawalNotice_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"CHEQUE_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"LOTTERY_TICKET_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"announceWithdrawal\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"internalType\":\"structIVault.Cheque\",\"name\":\"cheque\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"cash\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"}],\"name\":\"cashed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"internalType\":\"structIVault.Cheque\",\"name\":\"cheque\",\"type\":\"tuple\"}],\"name\":\"chequeDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"depositFor\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"}],\"name\":\"nextTicketNonce\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"}],\"name\":\"pendingWithdrawal\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"faceValue\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"winProb\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"commitment\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"expiresAt\",\"type\":\"uint64\"}],\"internalType\":\"structIVault.LotteryTicket[]\",\"name\":\"tickets\",\"type\":\"tuple[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"secrets\",\"type\":\"bytes32[]\"}],\"name\":\"redeemTickets\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"registry\",\"outputs\":[{\"internalType\":\"contractIRelayRegistry\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"faceValue\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"winProb\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"commitment\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"expiresAt\",\"type\":\"uint64\"}],\"internalType\":\"structIVault.LotteryTicket\",\"name\":\"t\",\"type\":\"tuple\"}],\"name\":\"ticketDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawalNotice\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"shortfall\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"fromStake\",\"type\":\"uint256\"}],\"name\":\"ChequeBounced\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"cumulativeCashed\",\"type\":\"uint256\"}],\"name\":\"ChequeCashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TicketRedeemed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"}],\"name\":\"WithdrawalAnnounced\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"BadBatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadReveal\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BalanceOverflow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"owed\",\"type\":\"uint256\"}],\"name\":\"ChequeUncovered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"have\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"need\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"}],\"name\":\"NoWithdrawalAnnounced\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"}],\"name\":\"NotPayee\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"}],\"name\":\"SelfPayment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"alreadyCashed\",\"type\":\"uint256\"}],\"name\":\"StaleCheque\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"expiresAt\",\"type\":\"uint64\"}],\"name\":\"TicketExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"TicketNotWinning\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"next\",\"type\":\"uint64\"}],\"name\":\"TicketReplayed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"nowTime\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"}],\"name\":\"WithdrawalLocked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"WrongPayee\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"}]",
	ID:  "c9dd4fb2906702bb7bc2d7bd532a55c416",
	Bin: "0x6101a0604052348015610010575f5ffd5b5060405161277438038061277483398101604081905261002f916101b3565b604080518082018252600c81526b135d5c9b5d5c8815985d5b1d60a21b602080830191909152825180840190935260018352603160f81b9083015290610075825f61013b565b6101205261008481600161013b565b61014052815160208084019190912060e052815190820120610100524660a05261011060e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c0526001600160a01b0391909116610160526001600160401b0316610180526103ab565b5f6020835110156101565761014f8361016d565b9050610167565b816101618482610299565b5060ff90505b92915050565b5f5f829050601f815111156101a0578260405163305a27a960e01b81526004016101979190610353565b60405180910390fd5b80516101ab82610388565b179392505050565b5f5f604083850312156101c4575f5ffd5b82516001600160a01b03811681146101da575f5ffd5b60208401519092506001600160401b03811681146101f6575f5ffd5b809150509250929050565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061022957607f821691505b60208210810361024757634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561029457805f5260205f20601f840160051c810160208510156102725750805b601f840160051c820191505b81811015610291575f815560010161027e565b50505b505050565b81516001600160401b038111156102b2576102b2610201565b6102c6816102c08454610215565b8461024d565b6020601f8211600181146102f8575f83156102e15750848201515b5f19600385901b1c1916600184901b178455610291565b5f84815260208120601f198516915b828110156103275787850151825560209485019460019092019101610307565b508482101561034457868401515f19600387901b60f8161c191681555b50505050600190811b01905550565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80516020808301519190811015610247575f1960209190910360031b1b16919050565b60805160a05160c05160e051610100516101205161014051610160516101805161234f6104255f395f81816101370152610d9a01525f81816103b4015281816116d301526117ec01525f61194401525f61191801525f611ba301525f611b7b01525f611ad601525f611b0001525f611b2a015261234f5ff3fe608060405260043610610122575f3560e01c806370a08231116100a1578063aa67c91911610071578063c7a11b9a11610057578063c7a11b9a14610475578063d0e30db0146104c6578063f698da25146104ce575f5ffd5b8063aa67c91914610441578063ba7e312814610456575f5ffd5b806370a08231146103505780637b103999146103a357806384b0196e146103fb57806392af4e4d14610422575f5ffd5b80633ccfd60b116100f65780635c220d2f116100dc5780635c220d2f146102df57806364f1a119146102fe57806369d71b871461031d575f5ffd5b80633ccfd60b146102705780634c3f8ce314610284575f5ffd5b8062a69bac146101265780630964c95b1461017757806315c3343f146102105780631c53befb14610251575b5f5ffd5b348015610131575f5ffd5b506101597f000000000000000000000000000000000000000000000000000000000000000081565b60405167ffffffffffffffff90911681526020015b60405180910390f35b348015610182575f5ffd5b506101f2610191366004611e3b565b73ffffffffffffffffffffffffffffffffffffffff165f908152600260205260409020600181015490546fffffffffffffffffffffffffffffffff9091169170010000000000000000000000000000000090910467ffffffffffffffff1690565b6040805192835267ffffffffffffffff90911660208301520161016e565b34801561021b575f5ffd5b506102437f83aa6e370d3b5e5d940665f31a7aba180a0b440177a59b771d1964368ce6505a81565b60405190815260200161016e565b34801561025c575f5ffd5b5061024361026b366004611e54565b6104e2565b34801561027b575f5ffd5b506102436105d7565b34801561028f575f5ffd5b5061015961029e366004611e6d565b73ffffffffffffffffffffffffffffffffffffffff9182165f90815260046020908152604080832093909416825291909152205467ffffffffffffffff1690565b3480156102ea575f5ffd5b506102436102f9366004611ee6565b6107b5565b348015610309575f5ffd5b50610243610318366004611fdd565b610937565b348015610328575f5ffd5b506102437fa083e4e95fa2c9c1467cb795a2db0ce04e2deef2a16d463a9e47c392b61f29e381565b34801561035b575f5ffd5b5061024361036a366004611e3b565b73ffffffffffffffffffffffffffffffffffffffff165f908152600260205260409020546fffffffffffffffffffffffffffffffff1690565b3480156103ae575f5ffd5b506103d67f000000000000000000000000000000000000000000000000000000000000000081565b60405173ffffffffffffffffffffffffffffffffffffffff909116815260200161016e565b348015610406575f5ffd5b5061040f610bf7565b60405161016e97969594939291906120a8565b34801561042d575f5ffd5b5061024361043c366004612167565b610c55565b61045461044f366004611e3b565b610cd6565b005b348015610461575f5ffd5b50610454610470366004612181565b610ce2565b348015610480575f5ffd5b5061024361048f366004611e6d565b73ffffffffffffffffffffffffffffffffffffffff9182165f90815260036020908152604080832093909416825291909152205490565b610454610e8c565b3480156104d9575f5ffd5b50610243610e97565b5f6105d17fa083e4e95fa2c9c1467cb795a2db0ce04e2deef2a16d463a9e47c392b61f29e36105146020850185611e3b565b6105246040860160208701611e3b565b6040860135606087013561053e60a0890160808a01612198565b60a089013561055360e08b0160c08c01612198565b60408051602081019990995273ffffffffffffffffffffffffffffffffffffffff97881690890152959094166060870152608086019290925260a085015267ffffffffffffffff90811660c085015260e084019190915216610100820152610120015b60405160208183030381529060405280519060200120610ea5565b92915050565b5f6105e0610eec565b50335f90815260026020526040812060018101546fffffffffffffffffffffffffffffffff1691829003610647576040517f896292420000000000000000000000000000000000000000000000000000000081523360048201526024015b60405180910390fd5b8054700100000000000000000000000000000000900467ffffffffffffffff164210156106cc5780546040517f2b66756800000000000000000000000000000000000000000000000000000000815267ffffffffffffffff4281166004830152700100000000000000000000000000000000909204909116602482015260440161063e565b80546fffffffffffffffffffffffffffffffff16808311156106ec578092505b6106f683826121ec565b82546001840180547fffffffffffffffffffffffffffffffff000000000000000000000000000000001690557fffffffffffffffff000000000000000000000000000000000000000000000000166fffffffffffffffffffffffffffffffff9190911617825560405133907f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5906107909086815260200190565b60405180910390a282156107a8576107a83384610f72565b50506107b261102c565b90565b5f6107be610eec565b3373ffffffffffffffffffffffffffffffffffffffff89161461082b576040517fabf2cc7600000000000000000000000000000000000000000000000000000000815233600482015273ffffffffffffffffffffffffffffffffffffffff8916602482015260440161063e565b858015806108395750848114155b806108445750828114155b1561087b576040517f86bdc25c00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f5f5b82811015610911575f5f6108e78d8d8d8681811061089e5761089e6121ff565b905060e002018c8c878181106108b6576108b66121ff565b90506020028101906108c8919061222c565b8c8c898181106108da576108da6121ff565b9050602002013588611056565b90925090506108f6828561228d565b9350610902818761228d565b9550505080600101905061087e565b508015610922576109228a82610f72565b505061092c61102c565b979650505050505050565b5f610940610eec565b5f61094e6020860186611e3b565b90505f6109616040870160208801611e3b565b90508173ffffffffffffffffffffffffffffffffffffffff168173ffffffffffffffffffffffffffffffffffffffff16036109e0576040517f0e07800a00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8316600482015260240161063e565b5f5f610a296109ee89610c55565b88888080601f0160208091040260200160405190810160405280939291908181526020018383808284375f920191909152506115d692505050565b5090925090505f816003811115610a4257610a426122a0565b141580610a7b57508373ffffffffffffffffffffffffffffffffffffffff168273ffffffffffffffffffffffffffffffffffffffff1614155b15610ab2576040517f8baa579f00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b73ffffffffffffffffffffffffffffffffffffffff8085165f908152600360209081526040808320938716835292905281902054908901358110610b2f57604080517f24d52fd6000000000000000000000000000000000000000000000000000000008152908a013560048201526024810182905260440161063e565b5f610b3e8260408c01356121ec565b90505f610b4c87878461161f565b985090505f610b5b898561228d565b73ffffffffffffffffffffffffffffffffffffffff8981165f818152600360209081526040808320948d168084529482529182902085905581518e8152908101859052939450919290917f44e15ada6901e9d810c324cab78debbbe712a73d26acb7c0461757ec4d312b43910160405180910390a38115610be057610be08783610f72565b5050505050505050610bf061102c565b9392505050565b5f6060805f5f5f6060610c08611911565b610c1061193d565b604080515f808252602082019092527f0f000000000000000000000000000000000000000000000000000000000000009b939a50919850469750309650945092509050565b5f6105d17f83aa6e370d3b5e5d940665f31a7aba180a0b440177a59b771d1964368ce6505a610c876020850185611e3b565b610c976040860160208701611e3b565b60408051602081019490945273ffffffffffffffffffffffffffffffffffffffff9283168482015291166060830152840135608082015260a0016105b6565b610cdf8161196a565b50565b805f03610d1b576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f90815260026020526040902080546fffffffffffffffffffffffffffffffff16821115610d945780546040517fcf4791810000000000000000000000000000000000000000000000000000000081526fffffffffffffffffffffffffffffffff90911660048201526024810183905260440161063e565b5f610dbf7f0000000000000000000000000000000000000000000000000000000000000000426122cd565b82547fffffffffffffffff0000000000000000ffffffffffffffffffffffffffffffff1670010000000000000000000000000000000067ffffffffffffffff83169081029190911784556001840180547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff871617905560408051868152602081019290925291925033917f74030ea9177316af894f61f85db949d013ca218a672300d278643ff411c9397191015b60405180910390a2505050565b610e953361196a565b565b5f610ea0611abd565b905090565b5f6105d1610eb1611abd565b836040517f19010000000000000000000000000000000000000000000000000000000000008152600281019290925260228201526042902090565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c15610f45576040517f3ee5aeb500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b610e9560017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90611bf3565b5f8273ffffffffffffffffffffffffffffffffffffffff16826040515f6040518083038185875af1925050503d805f8114610fc8576040519150601f19603f3d011682016040523d82523d5f602084013e610fcd565b606091505b5050905080611027576040517f1c43b97600000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff841660048201526024810183905260440161063e565b505050565b610e955f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00610f6c565b5f8073ffffffffffffffffffffffffffffffffffffffff881661107f6040890160208a01611e3b565b73ffffffffffffffffffffffffffffffffffffffff161415806110d957506110aa6020880188611e3b565b73ffffffffffffffffffffffffffffffffffffffff168873ffffffffffffffffffffffffffffffffffffffff16145b15611113576040517f4c2956910000000000000000000000000000000000000000000000000000000081526004810184905260240161063e565b61112360e0880160c08901612198565b67ffffffffffffffff1642111561118a578261114560e0890160c08a01612198565b6040517f8f7195ba000000000000000000000000000000000000000000000000000000008152600481019290925267ffffffffffffffff16602482015260440161063e565b8660a00135846040516020016111a291815260200190565b60405160208183030381529060405280519060200120146111f2576040517fa72e0d340000000000000000000000000000000000000000000000000000000081526004810184905260240161063e565b5f6111fc886104e2565b90508760600135818660405160200161121f929190918252602082015260400190565b604051602081830303815290604052805190602001205f1c10611271576040517fac5c19d80000000000000000000000000000000000000000000000000000000081526004810185905260240161063e565b5f5f6112b2838a8a8080601f0160208091040260200160405190810160405280939291908181526020018383808284375f920191909152506115d692505050565b5090925090505f8160038111156112cb576112cb6122a0565b14158061131057506112e060208b018b611e3b565b73ffffffffffffffffffffffffffffffffffffffff168273ffffffffffffffffffffffffffffffffffffffff1614155b15611347576040517f8baa579f00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f61135560208c018c611e3b565b90505f60045f8373ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f205f8e73ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f205f9054906101000a900467ffffffffffffffff1690508067ffffffffffffffff168c60800160208101906114049190612198565b67ffffffffffffffff161015611473578761142560a08e0160808f01612198565b6040517fd0199bd3000000000000000000000000000000000000000000000000000000008152600481019290925267ffffffffffffffff90811660248301528216604482015260640161063e565b61148360a08d0160808e01612198565b61148e9060016122cd565b60045f8473ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f205f8f73ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f205f6101000a81548167ffffffffffffffff021916908367ffffffffffffffff16021790555061153a828e8e6040013561161f565b80975081985050508c73ffffffffffffffffffffffffffffffffffffffff168273ffffffffffffffffffffffffffffffffffffffff167f887148be0ed1d471052ac504318c4894f43b050fa84af7dd9ab9a1abdf2ed9e58e60800160208101906115a49190612198565b6040805167ffffffffffffffff9092168252602082018b90520160405180910390a35050505050965096945050505050565b5f5f5f835160410361160d576020840151604085015160608601515f1a6115ff88828585611bfa565b955095509550505050611618565b505081515f91506002905b9250925092565b73ffffffffffffffffffffffffffffffffffffffff83165f90815260026020526040812080548291906fffffffffffffffffffffffffffffffff168085106116675780611669565b845b935061167584826121ec565b82547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff91909116178255839250848314611907575f73ffffffffffffffffffffffffffffffffffffffff7f00000000000000000000000000000000000000000000000000000000000000001663bfac599089611703888a6121ec565b6040517fffffffff0000000000000000000000000000000000000000000000000000000060e085901b16815273ffffffffffffffffffffffffffffffffffffffff92831660048201526024810191909152908a1660448201526064016020604051808303815f875af115801561177b573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061179f91906122ed565b90508015611844576040517f9bcbea5200000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff89811660048301527f00000000000000000000000000000000000000000000000000000000000000001690639bcbea52906024015f604051808303815f87803b15801561182d575f5ffd5b505af115801561183f573d5f5f3e3d5ffd5b505050505b73ffffffffffffffffffffffffffffffffffffffff8088169089167f71521048020a424ab0fe98b2711ef26edb00e1c6c20fefc574a881756b5d645d61188a888a6121ec565b60408051918252602082018690520160405180910390a36118ab818561228d565b9350835f03611905576040517fecf9e95c00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff891660048201526024810187905260440161063e565b505b5050935093915050565b6060610ea07f00000000000000000000000000000000000000000000000000000000000000005f611ced565b6060610ea07f00000000000000000000000000000000000000000000000000000000000000006001611ced565b345f036119a3576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b73ffffffffffffffffffffffffffffffffffffffff81165f90815260026020526040812080549091906119e99034906fffffffffffffffffffffffffffffffff1661228d565b90506fffffffffffffffffffffffffffffffff811115611a35576040517f89560ca100000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b81547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff8216178255604080513481526020810183905273ffffffffffffffffffffffffffffffffffffffff8516917f73a19dd210f1a7f902193214c0ee91dd35ee5b4d920cba8d519eca65a7b488ca9101610e7f565b5f3073ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016148015611b2257507f000000000000000000000000000000000000000000000000000000000000000046145b15611b4c57507f000000000000000000000000000000000000000000000000000000000000000090565b610ea0604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b80825d5050565b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0841115611c3357505f91506003905082611ce3565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa158015611c84573d5f5f3e3d5ffd5b50506040517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0015191505073ffffffffffffffffffffffffffffffffffffffff8116611cda57505f925060019150829050611ce3565b92505f91508190505b9450945094915050565b606060ff8314611d0757611d0083611d96565b90506105d1565b818054611d1390612304565b80601f0160208091040260200160405190810160405280929190818152602001828054611d3f90612304565b8015611d8a5780601f10611d6157610100808354040283529160200191611d8a565b820191905f5260205f20905b815481529060010190602001808311611d6d57829003601f168201915b505050505090506105d1565b60605f611da283611dd3565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f60ff8216601f8111156105d1576040517fb3512b0c00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b803573ffffffffffffffffffffffffffffffffffffffff81168114611e36575f5ffd5b919050565b5f60208284031215611e4b575f5ffd5b610bf082611e13565b5f60e0828403128015611e65575f5ffd5b509092915050565b5f5f60408385031215611e7e575f5ffd5b611e8783611e13565b9150611e9560208401611e13565b90509250929050565b5f5f83601f840112611eae575f5ffd5b50813567ffffffffffffffff811115611ec5575f5ffd5b6020830191508360208260051b8501011115611edf575f5ffd5b9250929050565b5f5f5f5f5f5f5f6080888a031215611efc575f5ffd5b611f0588611e13565b9650602088013567ffffffffffffffff811115611f20575f5ffd5b8801601f81018a13611f30575f5ffd5b803567ffffffffffffffff811115611f46575f5ffd5b8a602060e083028401011115611f5a575f5ffd5b60209190910196509450604088013567ffffffffffffffff811115611f7d575f5ffd5b611f898a828b01611e9e565b909550935050606088013567ffffffffffffffff811115611fa8575f5ffd5b611fb48a828b01611e9e565b989b979a50959850939692959293505050565b5f60608284031215611fd7575f5ffd5b50919050565b5f5f5f60808486031215611fef575f5ffd5b611ff98585611fc7565b9250606084013567ffffffffffffffff811115612014575f5ffd5b8401601f81018613612024575f5ffd5b803567ffffffffffffffff81111561203a575f5ffd5b86602082840101111561204b575f5ffd5b939660209190910195509293505050565b5f81518084528060208401602086015e5f6020828601015260207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011685010191505092915050565b7fff000000000000000000000000000000000000000000000000000000000000008816815260e060208201525f6120e260e083018961205c565b82810360408401526120f4818961205c565b6060840188905273ffffffffffffffffffffffffffffffffffffffff8716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b81811015612156578351835260209384019390920191600101612138565b50909b9a5050505050505050505050565b5f60608284031215612177575f5ffd5b610bf08383611fc7565b5f60208284031215612191575f5ffd5b5035919050565b5f602082840312156121a8575f5ffd5b813567ffffffffffffffff81168114610bf0575f5ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b818103818111156105d1576105d16121bf565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b5f5f83357fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe184360301811261225f575f5ffd5b83018035915067ffffffffffffffff821115612279575f5ffd5b602001915036819003821315611edf575f5ffd5b808201808211156105d1576105d16121bf565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b67ffffffffffffffff81811683821601908111156105d1576105d16121bf565b5f602082840312156122fd575f5ffd5b5051919050565b600181811c9082168061231857607f821691505b602082108103611fd7577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd",
}

// Vault is an auto generated Go binding around an Ethereum contract.
type Vault struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Vault) GetABI() abi.ABI {
	return c.abi
}

// NewVault creates a new instance of Vault.
func NewVault() *Vault {
	parsed, err := VaultMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Vault{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Vault) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address registry_, uint64 withdrawalNotice_) returns()
func (vault *Vault) PackConstructor(registry_ common.Address, withdrawalNotice_ uint64) []byte {
	enc, err := vault.abi.Pack("", registry_, withdrawalNotice_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackCHEQUETYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x15c3343f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function CHEQUE_TYPEHASH() view returns(bytes32)
func (vault *Vault) PackCHEQUETYPEHASH() []byte {
	enc, err := vault.abi.Pack("CHEQUE_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCHEQUETYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x15c3343f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function CHEQUE_TYPEHASH() view returns(bytes32)
func (vault *Vault) TryPackCHEQUETYPEHASH() ([]byte, error) {
	return vault.abi.Pack("CHEQUE_TYPEHASH")
}

// UnpackCHEQUETYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x15c3343f.
//
// Solidity: function CHEQUE_TYPEHASH() view returns(bytes32)
func (vault *Vault) UnpackCHEQUETYPEHASH(data []byte) ([32]byte, error) {
	out, err := vault.abi.Unpack("CHEQUE_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackLOTTERYTICKETTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x69d71b87.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function LOTTERY_TICKET_TYPEHASH() view returns(bytes32)
func (vault *Vault) PackLOTTERYTICKETTYPEHASH() []byte {
	enc, err := vault.abi.Pack("LOTTERY_TICKET_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLOTTERYTICKETTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x69d71b87.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function LOTTERY_TICKET_TYPEHASH() view returns(bytes32)
func (vault *Vault) TryPackLOTTERYTICKETTYPEHASH() ([]byte, error) {
	return vault.abi.Pack("LOTTERY_TICKET_TYPEHASH")
}

// UnpackLOTTERYTICKETTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x69d71b87.
//
// Solidity: function LOTTERY_TICKET_TYPEHASH() view returns(bytes32)
func (vault *Vault) UnpackLOTTERYTICKETTYPEHASH(data []byte) ([32]byte, error) {
	out, err := vault.abi.Unpack("LOTTERY_TICKET_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAnnounceWithdrawal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xba7e3128.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function announceWithdrawal(uint256 amount) returns()
func (vault *Vault) PackAnnounceWithdrawal(amount *big.Int) []byte {
	enc, err := vault.abi.Pack("announceWithdrawal", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAnnounceWithdrawal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xba7e3128.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function announceWithdrawal(uint256 amount) returns()
func (vault *Vault) TryPackAnnounceWithdrawal(amount *big.Int) ([]byte, error) {
	return vault.abi.Pack("announceWithdrawal", amount)
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (vault *Vault) PackBalanceOf(account common.Address) []byte {
	enc, err := vault.abi.Pack("balanceOf", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (vault *Vault) TryPackBalanceOf(account common.Address) ([]byte, error) {
	return vault.abi.Pack("balanceOf", account)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (vault *Vault) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := vault.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x64f1a119.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cash((address,address,uint256) cheque, bytes signature) returns(uint256 paid)
func (vault *Vault) PackCash(cheque IVaultCheque, signature []byte) []byte {
	enc, err := vault.abi.Pack("cash", cheque, signature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x64f1a119.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cash((address,address,uint256) cheque, bytes signature) returns(uint256 paid)
func (vault *Vault) TryPackCash(cheque IVaultCheque, signature []byte) ([]byte, error) {
	return vault.abi.Pack("cash", cheque, signature)
}

// UnpackCash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x64f1a119.
//
// Solidity: function cash((address,address,uint256) cheque, bytes signature) returns(uint256 paid)
func (vault *Vault) UnpackCash(data []byte) (*big.Int, error) {
	out, err := vault.abi.Unpack("cash", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCashed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc7a11b9a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cashed(address payer, address payee) view returns(uint256)
func (vault *Vault) PackCashed(payer common.Address, payee common.Address) []byte {
	enc, err := vault.abi.Pack("cashed", payer, payee)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCashed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc7a11b9a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cashed(address payer, address payee) view returns(uint256)
func (vault *Vault) TryPackCashed(payer common.Address, payee common.Address) ([]byte, error) {
	return vault.abi.Pack("cashed", payer, payee)
}

// UnpackCashed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc7a11b9a.
//
// Solidity: function cashed(address payer, address payee) view returns(uint256)
func (vault *Vault) UnpackCashed(data []byte) (*big.Int, error) {
	out, err := vault.abi.Unpack("cashed", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackChequeDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x92af4e4d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function chequeDigest((address,address,uint256) cheque) view returns(bytes32)
func (vault *Vault) PackChequeDigest(cheque IVaultCheque) []byte {
	enc, err := vault.abi.Pack("chequeDigest", cheque)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChequeDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x92af4e4d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function chequeDigest((address,address,uint256) cheque) view returns(bytes32)
func (vault *Vault) TryPackChequeDigest(cheque IVaultCheque) ([]byte, error) {
	return vault.abi.Pack("chequeDigest", cheque)
}

// UnpackChequeDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x92af4e4d.
//
// Solidity: function chequeDigest((address,address,uint256) cheque) view returns(bytes32)
func (vault *Vault) UnpackChequeDigest(data []byte) ([32]byte, error) {
	out, err := vault.abi.Unpack("chequeDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0e30db0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit() payable returns()
func (vault *Vault) PackDeposit() []byte {
	enc, err := vault.abi.Pack("deposit")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0e30db0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit() payable returns()
func (vault *Vault) TryPackDeposit() ([]byte, error) {
	return vault.abi.Pack("deposit")
}

// PackDepositFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa67c919.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositFor(address account) payable returns()
func (vault *Vault) PackDepositFor(account common.Address) []byte {
	enc, err := vault.abi.Pack("depositFor", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositFor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa67c919.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositFor(address account) payable returns()
func (vault *Vault) TryPackDepositFor(account common.Address) ([]byte, error) {
	return vault.abi.Pack("depositFor", account)
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (vault *Vault) PackDomainSeparator() []byte {
	enc, err := vault.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (vault *Vault) TryPackDomainSeparator() ([]byte, error) {
	return vault.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (vault *Vault) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := vault.abi.Unpack("domainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackNextTicketNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4c3f8ce3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextTicketNonce(address payer, address payee) view returns(uint64)
func (vault *Vault) PackNextTicketNonce(payer common.Address, payee common.Address) []byte {
	enc, err := vault.abi.Pack("nextTicketNonce", payer, payee)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextTicketNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4c3f8ce3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextTicketNonce(address payer, address payee) view returns(uint64)
func (vault *Vault) TryPackNextTicketNonce(payer common.Address, payee common.Address) ([]byte, error) {
	return vault.abi.Pack("nextTicketNonce", payer, payee)
}

// UnpackNextTicketNonce is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4c3f8ce3.
//
// Solidity: function nextTicketNonce(address payer, address payee) view returns(uint64)
func (vault *Vault) UnpackNextTicketNonce(data []byte) (uint64, error) {
	out, err := vault.abi.Unpack("nextTicketNonce", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackPendingWithdrawal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0964c95b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingWithdrawal(address payer) view returns(uint256 amount, uint64 unlockAt)
func (vault *Vault) PackPendingWithdrawal(payer common.Address) []byte {
	enc, err := vault.abi.Pack("pendingWithdrawal", payer)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingWithdrawal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0964c95b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingWithdrawal(address payer) view returns(uint256 amount, uint64 unlockAt)
func (vault *Vault) TryPackPendingWithdrawal(payer common.Address) ([]byte, error) {
	return vault.abi.Pack("pendingWithdrawal", payer)
}

// PendingWithdrawalOutput serves as a container for the return parameters of contract
// method PendingWithdrawal.
type PendingWithdrawalOutput struct {
	Amount   *big.Int
	UnlockAt uint64
}

// UnpackPendingWithdrawal is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0964c95b.
//
// Solidity: function pendingWithdrawal(address payer) view returns(uint256 amount, uint64 unlockAt)
func (vault *Vault) UnpackPendingWithdrawal(data []byte) (PendingWithdrawalOutput, error) {
	out, err := vault.abi.Unpack("pendingWithdrawal", data)
	outstruct := new(PendingWithdrawalOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Amount = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.UnlockAt = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackRedeemTickets is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c220d2f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function redeemTickets(address payee, (address,address,uint256,uint256,uint64,bytes32,uint64)[] tickets, bytes[] signatures, bytes32[] secrets) returns(uint256 paid)
func (vault *Vault) PackRedeemTickets(payee common.Address, tickets []IVaultLotteryTicket, signatures [][]byte, secrets [][32]byte) []byte {
	enc, err := vault.abi.Pack("redeemTickets", payee, tickets, signatures, secrets)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRedeemTickets is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c220d2f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function redeemTickets(address payee, (address,address,uint256,uint256,uint64,bytes32,uint64)[] tickets, bytes[] signatures, bytes32[] secrets) returns(uint256 paid)
func (vault *Vault) TryPackRedeemTickets(payee common.Address, tickets []IVaultLotteryTicket, signatures [][]byte, secrets [][32]byte) ([]byte, error) {
	return vault.abi.Pack("redeemTickets", payee, tickets, signatures, secrets)
}

// UnpackRedeemTickets is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c220d2f.
//
// Solidity: function redeemTickets(address payee, (address,address,uint256,uint256,uint64,bytes32,uint64)[] tickets, bytes[] signatures, bytes32[] secrets) returns(uint256 paid)
func (vault *Vault) UnpackRedeemTickets(data []byte) (*big.Int, error) {
	out, err := vault.abi.Unpack("redeemTickets", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registry() view returns(address)
func (vault *Vault) PackRegistry() []byte {
	enc, err := vault.abi.Pack("registry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registry() view returns(address)
func (vault *Vault) TryPackRegistry() ([]byte, error) {
	return vault.abi.Pack("registry")
}

// UnpackRegistry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (vault *Vault) UnpackRegistry(data []byte) (common.Address, error) {
	out, err := vault.abi.Unpack("registry", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackTicketDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c53befb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ticketDigest((address,address,uint256,uint256,uint64,bytes32,uint64) t) view returns(bytes32)
func (vault *Vault) PackTicketDigest(t IVaultLotteryTicket) []byte {
	enc, err := vault.abi.Pack("ticketDigest", t)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTicketDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c53befb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ticketDigest((address,address,uint256,uint256,uint64,bytes32,uint64) t) view returns(bytes32)
func (vault *Vault) TryPackTicketDigest(t IVaultLotteryTicket) ([]byte, error) {
	return vault.abi.Pack("ticketDigest", t)
}

// UnpackTicketDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1c53befb.
//
// Solidity: function ticketDigest((address,address,uint256,uint256,uint64,bytes32,uint64) t) view returns(bytes32)
func (vault *Vault) UnpackTicketDigest(data []byte) ([32]byte, error) {
	out, err := vault.abi.Unpack("ticketDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns(uint256 amount)
func (vault *Vault) PackWithdraw() []byte {
	enc, err := vault.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns(uint256 amount)
func (vault *Vault) TryPackWithdraw() ([]byte, error) {
	return vault.abi.Pack("withdraw")
}

// UnpackWithdraw is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3ccfd60b.
//
// Solidity: function withdraw() returns(uint256 amount)
func (vault *Vault) UnpackWithdraw(data []byte) (*big.Int, error) {
	out, err := vault.abi.Unpack("withdraw", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackWithdrawalNotice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x00a69bac.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawalNotice() view returns(uint64)
func (vault *Vault) PackWithdrawalNotice() []byte {
	enc, err := vault.abi.Pack("withdrawalNotice")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawalNotice is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x00a69bac.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawalNotice() view returns(uint64)
func (vault *Vault) TryPackWithdrawalNotice() ([]byte, error) {
	return vault.abi.Pack("withdrawalNotice")
}

// UnpackWithdrawalNotice is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x00a69bac.
//
// Solidity: function withdrawalNotice() view returns(uint64)
func (vault *Vault) UnpackWithdrawalNotice(data []byte) (uint64, error) {
	out, err := vault.abi.Unpack("withdrawalNotice", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// VaultChequeBounced represents a ChequeBounced event raised by the Vault contract.
type VaultChequeBounced struct {
	Payer     common.Address
	Payee     common.Address
	Shortfall *big.Int
	FromStake *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const VaultChequeBouncedEventName = "ChequeBounced"

// ContractEventName returns the user-defined event name.
func (VaultChequeBounced) ContractEventName() string {
	return VaultChequeBouncedEventName
}

// UnpackChequeBouncedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChequeBounced(address indexed payer, address indexed payee, uint256 shortfall, uint256 fromStake)
func (vault *Vault) UnpackChequeBouncedEvent(log *types.Log) (*VaultChequeBounced, error) {
	event := "ChequeBounced"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != vault.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(VaultChequeBounced)
	if len(log.Data) > 0 {
		if err := vault.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range vault.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// VaultChequeCashed represents a ChequeCashed event raised by the Vault contract.
type VaultChequeCashed struct {
	Payer            common.Address
	Payee            common.Address
	Amount           *big.Int
	CumulativeCashed *big.Int
	Raw              *types.Log // Blockchain specific contextual infos
}

const VaultChequeCashedEventName = "ChequeCashed"

// ContractEventName returns the user-defined event name.
func (VaultChequeCashed) ContractEventName() string {
	return VaultChequeCashedEventName
}

// UnpackChequeCashedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChequeCashed(address indexed payer, address indexed payee, uint256 amount, uint256 cumulativeCashed)
func (vault *Vault) UnpackChequeCashedEvent(log *types.Log) (*VaultChequeCashed, error) {
	event := "ChequeCashed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != vault.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(VaultChequeCashed)
	if len(log.Data) > 0 {
		if err := vault.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range vault.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// VaultDeposited represents a Deposited event raised by the Vault contract.
type VaultDeposited struct {
	Account common.Address
	Amount  *big.Int
	Balance *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const VaultDepositedEventName = "Deposited"

// ContractEventName returns the user-defined event name.
func (VaultDeposited) ContractEventName() string {
	return VaultDepositedEventName
}

// UnpackDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposited(address indexed account, uint256 amount, uint256 balance)
func (vault *Vault) UnpackDepositedEvent(log *types.Log) (*VaultDeposited, error) {
	event := "Deposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != vault.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(VaultDeposited)
	if len(log.Data) > 0 {
		if err := vault.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range vault.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// VaultEIP712DomainChanged represents a EIP712DomainChanged event raised by the Vault contract.
type VaultEIP712DomainChanged struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const VaultEIP712DomainChangedEventName = "EIP712DomainChanged"

// ContractEventName returns the user-defined event name.
func (VaultEIP712DomainChanged) ContractEventName() string {
	return VaultEIP712DomainChangedEventName
}

// UnpackEIP712DomainChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EIP712DomainChanged()
func (vault *Vault) UnpackEIP712DomainChangedEvent(log *types.Log) (*VaultEIP712DomainChanged, error) {
	event := "EIP712DomainChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != vault.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(VaultEIP712DomainChanged)
	if len(log.Data) > 0 {
		if err := vault.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range vault.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// VaultTicketRedeemed represents a TicketRedeemed event raised by the Vault contract.
type VaultTicketRedeemed struct {
	Payer  common.Address
	Payee  common.Address
	Nonce  uint64
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const VaultTicketRedeemedEventName = "TicketRedeemed"

// ContractEventName returns the user-defined event name.
func (VaultTicketRedeemed) ContractEventName() string {
	return VaultTicketRedeemedEventName
}

// UnpackTicketRedeemedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TicketRedeemed(address indexed payer, address indexed payee, uint64 nonce, uint256 amount)
func (vault *Vault) UnpackTicketRedeemedEvent(log *types.Log) (*VaultTicketRedeemed, error) {
	event := "TicketRedeemed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != vault.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(VaultTicketRedeemed)
	if len(log.Data) > 0 {
		if err := vault.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range vault.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// VaultWithdrawalAnnounced represents a WithdrawalAnnounced event raised by the Vault contract.
type VaultWithdrawalAnnounced struct {
	Payer    common.Address
	Amount   *big.Int
	UnlockAt uint64
	Raw      *types.Log // Blockchain specific contextual infos
}

const VaultWithdrawalAnnouncedEventName = "WithdrawalAnnounced"

// ContractEventName returns the user-defined event name.
func (VaultWithdrawalAnnounced) ContractEventName() string {
	return VaultWithdrawalAnnouncedEventName
}

// UnpackWithdrawalAnnouncedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WithdrawalAnnounced(address indexed payer, uint256 amount, uint64 unlockAt)
func (vault *Vault) UnpackWithdrawalAnnouncedEvent(log *types.Log) (*VaultWithdrawalAnnounced, error) {
	event := "WithdrawalAnnounced"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != vault.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(VaultWithdrawalAnnounced)
	if len(log.Data) > 0 {
		if err := vault.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range vault.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// VaultWithdrawn represents a Withdrawn event raised by the Vault contract.
type VaultWithdrawn struct {
	Payer  common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const VaultWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (VaultWithdrawn) ContractEventName() string {
	return VaultWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed payer, uint256 amount)
func (vault *Vault) UnpackWithdrawnEvent(log *types.Log) (*VaultWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != vault.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(VaultWithdrawn)
	if len(log.Data) > 0 {
		if err := vault.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range vault.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (vault *Vault) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], vault.abi.Errors["BadBatch"].ID.Bytes()[:4]) {
		return vault.UnpackBadBatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["BadReveal"].ID.Bytes()[:4]) {
		return vault.UnpackBadRevealError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["BalanceOverflow"].ID.Bytes()[:4]) {
		return vault.UnpackBalanceOverflowError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["ChequeUncovered"].ID.Bytes()[:4]) {
		return vault.UnpackChequeUncoveredError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["InsufficientBalance"].ID.Bytes()[:4]) {
		return vault.UnpackInsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["InvalidShortString"].ID.Bytes()[:4]) {
		return vault.UnpackInvalidShortStringError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return vault.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["NoWithdrawalAnnounced"].ID.Bytes()[:4]) {
		return vault.UnpackNoWithdrawalAnnouncedError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["NotPayee"].ID.Bytes()[:4]) {
		return vault.UnpackNotPayeeError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["ReentrancyGuardReentrantCall"].ID.Bytes()[:4]) {
		return vault.UnpackReentrancyGuardReentrantCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["SelfPayment"].ID.Bytes()[:4]) {
		return vault.UnpackSelfPaymentError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["StaleCheque"].ID.Bytes()[:4]) {
		return vault.UnpackStaleChequeError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["StringTooLong"].ID.Bytes()[:4]) {
		return vault.UnpackStringTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["TicketExpired"].ID.Bytes()[:4]) {
		return vault.UnpackTicketExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["TicketNotWinning"].ID.Bytes()[:4]) {
		return vault.UnpackTicketNotWinningError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["TicketReplayed"].ID.Bytes()[:4]) {
		return vault.UnpackTicketReplayedError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return vault.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["WithdrawalLocked"].ID.Bytes()[:4]) {
		return vault.UnpackWithdrawalLockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["WrongPayee"].ID.Bytes()[:4]) {
		return vault.UnpackWrongPayeeError(raw[4:])
	}
	if bytes.Equal(raw[:4], vault.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return vault.UnpackZeroAmountError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// VaultBadBatch represents a BadBatch error raised by the Vault contract.
type VaultBadBatch struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadBatch()
func VaultBadBatchErrorID() common.Hash {
	return common.HexToHash("0x86bdc25c99648598923bb853ace35b4957af66811405e311820e81be4c44dd00")
}

// UnpackBadBatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadBatch()
func (vault *Vault) UnpackBadBatchError(raw []byte) (*VaultBadBatch, error) {
	out := new(VaultBadBatch)
	if err := vault.abi.UnpackIntoInterface(out, "BadBatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultBadReveal represents a BadReveal error raised by the Vault contract.
type VaultBadReveal struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadReveal(uint256 index)
func VaultBadRevealErrorID() common.Hash {
	return common.HexToHash("0xa72e0d347df41af08b6ce06c71b19989d3f10964211a297ec701b84203707b6e")
}

// UnpackBadRevealError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadReveal(uint256 index)
func (vault *Vault) UnpackBadRevealError(raw []byte) (*VaultBadReveal, error) {
	out := new(VaultBadReveal)
	if err := vault.abi.UnpackIntoInterface(out, "BadReveal", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultBalanceOverflow represents a BalanceOverflow error raised by the Vault contract.
type VaultBalanceOverflow struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BalanceOverflow()
func VaultBalanceOverflowErrorID() common.Hash {
	return common.HexToHash("0x89560ca179de587f7cde21350ea3b3107bc2c395f00f00f5a5d9131f8e274b90")
}

// UnpackBalanceOverflowError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BalanceOverflow()
func (vault *Vault) UnpackBalanceOverflowError(raw []byte) (*VaultBalanceOverflow, error) {
	out := new(VaultBalanceOverflow)
	if err := vault.abi.UnpackIntoInterface(out, "BalanceOverflow", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultChequeUncovered represents a ChequeUncovered error raised by the Vault contract.
type VaultChequeUncovered struct {
	Payer common.Address
	Owed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChequeUncovered(address payer, uint256 owed)
func VaultChequeUncoveredErrorID() common.Hash {
	return common.HexToHash("0xecf9e95c016a52e2f03cc1edb23d020c168f2ba50ea6272d373fff92d6629243")
}

// UnpackChequeUncoveredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChequeUncovered(address payer, uint256 owed)
func (vault *Vault) UnpackChequeUncoveredError(raw []byte) (*VaultChequeUncovered, error) {
	out := new(VaultChequeUncovered)
	if err := vault.abi.UnpackIntoInterface(out, "ChequeUncovered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultInsufficientBalance represents a InsufficientBalance error raised by the Vault contract.
type VaultInsufficientBalance struct {
	Have *big.Int
	Need *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientBalance(uint256 have, uint256 need)
func VaultInsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xcf4791818fba6e019216eb4864093b4947f674afada5d305e57d598b641dad1d")
}

// UnpackInsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientBalance(uint256 have, uint256 need)
func (vault *Vault) UnpackInsufficientBalanceError(raw []byte) (*VaultInsufficientBalance, error) {
	out := new(VaultInsufficientBalance)
	if err := vault.abi.UnpackIntoInterface(out, "InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultInvalidShortString represents a InvalidShortString error raised by the Vault contract.
type VaultInvalidShortString struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShortString()
func VaultInvalidShortStringErrorID() common.Hash {
	return common.HexToHash("0xb3512b0c6163e5f0bafab72bb631b9d58cd7a731b082f910338aa21c83d5c274")
}

// UnpackInvalidShortStringError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShortString()
func (vault *Vault) UnpackInvalidShortStringError(raw []byte) (*VaultInvalidShortString, error) {
	out := new(VaultInvalidShortString)
	if err := vault.abi.UnpackIntoInterface(out, "InvalidShortString", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultInvalidSignature represents a InvalidSignature error raised by the Vault contract.
type VaultInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func VaultInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (vault *Vault) UnpackInvalidSignatureError(raw []byte) (*VaultInvalidSignature, error) {
	out := new(VaultInvalidSignature)
	if err := vault.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultNoWithdrawalAnnounced represents a NoWithdrawalAnnounced error raised by the Vault contract.
type VaultNoWithdrawalAnnounced struct {
	Payer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoWithdrawalAnnounced(address payer)
func VaultNoWithdrawalAnnouncedErrorID() common.Hash {
	return common.HexToHash("0x8962924243fe837e97df09b1c3058172b213300161f0c08b061d9de602968287")
}

// UnpackNoWithdrawalAnnouncedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoWithdrawalAnnounced(address payer)
func (vault *Vault) UnpackNoWithdrawalAnnouncedError(raw []byte) (*VaultNoWithdrawalAnnounced, error) {
	out := new(VaultNoWithdrawalAnnounced)
	if err := vault.abi.UnpackIntoInterface(out, "NoWithdrawalAnnounced", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultNotPayee represents a NotPayee error raised by the Vault contract.
type VaultNotPayee struct {
	Caller common.Address
	Payee  common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPayee(address caller, address payee)
func VaultNotPayeeErrorID() common.Hash {
	return common.HexToHash("0xabf2cc762d13bcd371b1e80bab140fad9bcf491dab4b5c7e69bd15cf66625381")
}

// UnpackNotPayeeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPayee(address caller, address payee)
func (vault *Vault) UnpackNotPayeeError(raw []byte) (*VaultNotPayee, error) {
	out := new(VaultNotPayee)
	if err := vault.abi.UnpackIntoInterface(out, "NotPayee", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultReentrancyGuardReentrantCall represents a ReentrancyGuardReentrantCall error raised by the Vault contract.
type VaultReentrancyGuardReentrantCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReentrancyGuardReentrantCall()
func VaultReentrancyGuardReentrantCallErrorID() common.Hash {
	return common.HexToHash("0x3ee5aeb571de7fc460830b4d0017439a1ca56fb0bc39062227ade4fe4a24c1ca")
}

// UnpackReentrancyGuardReentrantCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReentrancyGuardReentrantCall()
func (vault *Vault) UnpackReentrancyGuardReentrantCallError(raw []byte) (*VaultReentrancyGuardReentrantCall, error) {
	out := new(VaultReentrancyGuardReentrantCall)
	if err := vault.abi.UnpackIntoInterface(out, "ReentrancyGuardReentrantCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultSelfPayment represents a SelfPayment error raised by the Vault contract.
type VaultSelfPayment struct {
	Payer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SelfPayment(address payer)
func VaultSelfPaymentErrorID() common.Hash {
	return common.HexToHash("0x0e07800aa77e3ffd7f5338e8fb9ca5b4dc878de11cb717245236dc143318c985")
}

// UnpackSelfPaymentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SelfPayment(address payer)
func (vault *Vault) UnpackSelfPaymentError(raw []byte) (*VaultSelfPayment, error) {
	out := new(VaultSelfPayment)
	if err := vault.abi.UnpackIntoInterface(out, "SelfPayment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultStaleCheque represents a StaleCheque error raised by the Vault contract.
type VaultStaleCheque struct {
	CumulativeAmount *big.Int
	AlreadyCashed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StaleCheque(uint256 cumulativeAmount, uint256 alreadyCashed)
func VaultStaleChequeErrorID() common.Hash {
	return common.HexToHash("0x24d52fd60f09a4d6e54c92c184f87d013636c329b89850d5c4d3ce710283f347")
}

// UnpackStaleChequeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StaleCheque(uint256 cumulativeAmount, uint256 alreadyCashed)
func (vault *Vault) UnpackStaleChequeError(raw []byte) (*VaultStaleCheque, error) {
	out := new(VaultStaleCheque)
	if err := vault.abi.UnpackIntoInterface(out, "StaleCheque", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultStringTooLong represents a StringTooLong error raised by the Vault contract.
type VaultStringTooLong struct {
	Str string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StringTooLong(string str)
func VaultStringTooLongErrorID() common.Hash {
	return common.HexToHash("0x305a27a93f8e33b7392df0a0f91d6fc63847395853c45991eec52dbf24d72381")
}

// UnpackStringTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StringTooLong(string str)
func (vault *Vault) UnpackStringTooLongError(raw []byte) (*VaultStringTooLong, error) {
	out := new(VaultStringTooLong)
	if err := vault.abi.UnpackIntoInterface(out, "StringTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultTicketExpired represents a TicketExpired error raised by the Vault contract.
type VaultTicketExpired struct {
	Index     *big.Int
	ExpiresAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TicketExpired(uint256 index, uint64 expiresAt)
func VaultTicketExpiredErrorID() common.Hash {
	return common.HexToHash("0x8f7195ba9dfd4da4fa274609d8349b365f784a67c126bd19a503ba505fecb1cc")
}

// UnpackTicketExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TicketExpired(uint256 index, uint64 expiresAt)
func (vault *Vault) UnpackTicketExpiredError(raw []byte) (*VaultTicketExpired, error) {
	out := new(VaultTicketExpired)
	if err := vault.abi.UnpackIntoInterface(out, "TicketExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultTicketNotWinning represents a TicketNotWinning error raised by the Vault contract.
type VaultTicketNotWinning struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TicketNotWinning(uint256 index)
func VaultTicketNotWinningErrorID() common.Hash {
	return common.HexToHash("0xac5c19d84da214968db299b75c28e6d60a5699c6b81be578b2e41c91309ec03a")
}

// UnpackTicketNotWinningError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TicketNotWinning(uint256 index)
func (vault *Vault) UnpackTicketNotWinningError(raw []byte) (*VaultTicketNotWinning, error) {
	out := new(VaultTicketNotWinning)
	if err := vault.abi.UnpackIntoInterface(out, "TicketNotWinning", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultTicketReplayed represents a TicketReplayed error raised by the Vault contract.
type VaultTicketReplayed struct {
	Index *big.Int
	Nonce uint64
	Next  uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TicketReplayed(uint256 index, uint64 nonce, uint64 next)
func VaultTicketReplayedErrorID() common.Hash {
	return common.HexToHash("0xd0199bd3da32435817c67f5aa9175147267d401338948d29ca00988655267d4c")
}

// UnpackTicketReplayedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TicketReplayed(uint256 index, uint64 nonce, uint64 next)
func (vault *Vault) UnpackTicketReplayedError(raw []byte) (*VaultTicketReplayed, error) {
	out := new(VaultTicketReplayed)
	if err := vault.abi.UnpackIntoInterface(out, "TicketReplayed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultTransferFailed represents a TransferFailed error raised by the Vault contract.
type VaultTransferFailed struct {
	To     common.Address
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed(address to, uint256 amount)
func VaultTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x1c43b9761b3fba5321ca8212bfc231945f668ccc0c446f333999eea9ce8fda81")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed(address to, uint256 amount)
func (vault *Vault) UnpackTransferFailedError(raw []byte) (*VaultTransferFailed, error) {
	out := new(VaultTransferFailed)
	if err := vault.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultWithdrawalLocked represents a WithdrawalLocked error raised by the Vault contract.
type VaultWithdrawalLocked struct {
	NowTime  uint64
	UnlockAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WithdrawalLocked(uint64 nowTime, uint64 unlockAt)
func VaultWithdrawalLockedErrorID() common.Hash {
	return common.HexToHash("0x2b667568fa856124c13134fd8f07ce92cdd05b7f098c38bfb0ba4d4c3d2e9aa9")
}

// UnpackWithdrawalLockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WithdrawalLocked(uint64 nowTime, uint64 unlockAt)
func (vault *Vault) UnpackWithdrawalLockedError(raw []byte) (*VaultWithdrawalLocked, error) {
	out := new(VaultWithdrawalLocked)
	if err := vault.abi.UnpackIntoInterface(out, "WithdrawalLocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultWrongPayee represents a WrongPayee error raised by the Vault contract.
type VaultWrongPayee struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongPayee(uint256 index)
func VaultWrongPayeeErrorID() common.Hash {
	return common.HexToHash("0x4c2956919672d1094673740bc900a86e0186068adcc1fae39ac4339170b0e56f")
}

// UnpackWrongPayeeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongPayee(uint256 index)
func (vault *Vault) UnpackWrongPayeeError(raw []byte) (*VaultWrongPayee, error) {
	out := new(VaultWrongPayee)
	if err := vault.abi.UnpackIntoInterface(out, "WrongPayee", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// VaultZeroAmount represents a ZeroAmount error raised by the Vault contract.
type VaultZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func VaultZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (vault *Vault) UnpackZeroAmountError(raw []byte) (*VaultZeroAmount, error) {
	out := new(VaultZeroAmount)
	if err := vault.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}
