// GetItem over gRPC (HTTP/2 + protobuf): @grpc/grpc-js with the generated codec, one channel
// multiplexing every call in flight, as a service's client does.
import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { inventoryV1 } from '@junction/contracts';
import { type ClientOptions, type GetItemClient, WrongReply } from './transports.mts';

type GetItem = (
  request: inventoryV1.GetItemRequest,
  callback: (error: ServiceError | null, response?: inventoryV1.GetItemResponse) => void,
) => void;

export function openGrpcClient(target: string, options: ClientOptions): GetItemClient {
  const Client = makeGenericClientConstructor(inventoryV1.InventoryServiceService, 'inventory');
  const client = new Client(target, credentials.createInsecure(), {
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
  });
  const getItem = (client as unknown as { getItem: GetItem }).getItem.bind(client);
  const request = { sku: options.sku, paddingBytes: options.paddingBytes };
  const call = (): Promise<void> =>
    new Promise((resolve, reject) => {
      getItem(request, (error, response) => {
        if (error) reject(error);
        else if (response?.padding.length === options.paddingBytes) resolve();
        else reject(new WrongReply(`padding of ${String(response?.padding.length)} bytes`));
      });
    });
  return {
    call,
    close: () => {
      client.close();
      return Promise.resolve();
    },
  };
}
