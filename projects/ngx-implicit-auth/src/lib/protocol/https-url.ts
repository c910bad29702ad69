/** Whether `hostname` is a loopback host, where plain http is acceptable for development. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The one transport rule for every URL the library sends a user or a token to: `https:`, or plain `http:` on a
 * loopback host (development only), and no credentials in the URL.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1 (TLS for the authorization endpoint)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3 (always use TLS)
 */
export function isSecureUrl({ protocol, hostname, username, password }: URL): boolean {
  return (protocol === 'https:' || (protocol === 'http:' && isLoopbackHost(hostname))) && !username && !password;
}
