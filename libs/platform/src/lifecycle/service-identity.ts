/** Which service this process is (its name is its log field, key prefix and OTel service name). */
export class ServiceIdentity {
  constructor(readonly name: string) {}
}
