import { status } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { DomainError } from './domain-error';
import { GrpcErrorFilter } from './grpc-error.filter';

async function statusFor(error: unknown): Promise<unknown> {
  return firstValueFrom(new GrpcErrorFilter().catch(error)).then(
    () => {
      throw new Error('expected the filter to emit an error');
    },
    (grpcError: unknown) => grpcError,
  );
}

describe(GrpcErrorFilter.name, () => {
  describe('catch', () => {
    it('answers a domain error with its gRPC status and message', async () => {
      await expect(statusFor(new DomainError('conflict', 'key reused'))).resolves.toEqual({
        code: status.ABORTED,
        message: 'key reused',
      });
    });

    it('hides an unexpected error behind INTERNAL with a correlation id', async () => {
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const grpcError = (await statusFor(new Error('secret detail'))) as {
        code: number;
        message: string;
      };
      expect(grpcError.code).toBe(status.INTERNAL);
      expect(grpcError.message).toMatch(/^internal error \(correlation id [0-9a-f-]{36}\)$/);
    });
  });
});
