import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { type Observable } from 'rxjs';
import { GrpcErrorFilter } from './grpc-error.filter';
import { HttpErrorFilter } from './http-error.filter';

/** The one global filter: HTTP errors become JSON bodies, gRPC errors become gRPC statuses. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly http = new HttpErrorFilter();
  private readonly grpc = new GrpcErrorFilter();

  catch(error: unknown, host: ArgumentsHost): Observable<never> | undefined {
    if (host.getType() === 'rpc') return this.grpc.catch(error);
    this.http.catch(error, host);
    return undefined;
  }
}
