/**
 * nginx's built-in responses: status lines and the small HTML error pages of
 * ngx_http_special_response.c (`<html><head><title>502 Bad Gateway</title>...`), with lbtest's
 * name where nginx puts its own. Built once per status.
 */
import { SERVER_SOFTWARE } from './vars.js';

export const REASONS: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 206: 'Partial Content', 301: 'Moved Permanently', 302: 'Moved Temporarily',
  303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 408: 'Request Time-out',
  411: 'Length Required', 413: 'Request Entity Too Large', 414: 'Request-URI Too Large', 416: 'Requested Range Not Satisfiable',
  429: 'Too Many Requests', 499: 'Client Closed Request', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out', 505: 'HTTP Version Not Supported',
};

/** nginx answers an oversized header line with 400 and this title (its internal status 494). */
export const HEADER_TOO_LARGE = 494;

const cache = new Map<number, Buffer>();

/** The HTML body nginx sends for an error status it generates itself. */
export function errorPage(status: number): Buffer {
  let page = cache.get(status);
  if (page === undefined) {
    const title = status === HEADER_TOO_LARGE ? '400 Request Header Or Cookie Too Large'
      : `${status} ${REASONS[status] ?? ''}`.trimEnd();
    const h1 = status === HEADER_TOO_LARGE ? '<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>'
      : `<center><h1>${title}</h1></center>`;
    page = Buffer.from(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n${h1}\r\n<hr><center>${SERVER_SOFTWARE}</center>\r\n</body>\r\n</html>\r\n`);
    cache.set(status, page);
  }
  return page;
}

/** Statuses nginx sends without a body of its own. */
export function hasNoPage(status: number): boolean {
  return status < 300 || status === 304;
}
