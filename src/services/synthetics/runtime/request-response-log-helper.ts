/**
 * RequestResponseLogHelper, the pre-3.2 way to choose what request/response log lines carry. AWS
 * deprecated it (a warning is logged on use) but still honours it; here its header flags add the
 * headers to the page request/response log lines.
 */
export class RequestResponseLogHelper {
  readonly request = { url: true, resourceType: false, method: false, headers: false, postData: false };
  readonly response = { status: true, statusText: true, url: true, remoteAddress: false, headers: false };

  withLogRequestUrl(v: boolean): this {
    this.request.url = Boolean(v);
    return this;
  }
  withLogRequestResourceType(v: boolean): this {
    this.request.resourceType = Boolean(v);
    return this;
  }
  withLogRequestMethod(v: boolean): this {
    this.request.method = Boolean(v);
    return this;
  }
  withLogRequestHeaders(v: boolean): this {
    this.request.headers = Boolean(v);
    return this;
  }
  withLogRequestPostData(v: boolean): this {
    this.request.postData = Boolean(v);
    return this;
  }
  withLogResponseStatus(v: boolean): this {
    this.response.status = Boolean(v);
    return this;
  }
  withLogResponseStatusText(v: boolean): this {
    this.response.statusText = Boolean(v);
    return this;
  }
  withLogResponseUrl(v: boolean): this {
    this.response.url = Boolean(v);
    return this;
  }
  withLogResponseRemoteAddress(v: boolean): this {
    this.response.remoteAddress = Boolean(v);
    return this;
  }
  withLogResponseHeaders(v: boolean): this {
    this.response.headers = Boolean(v);
    return this;
  }
}
