/** The options of `ng add ngx-implicit-auth`, as `schema.json` declares them. */
export interface NgAddOptions {
  /** The application to set up; default: the current project, or the workspace's only application. */
  readonly project?: string;
  /** The provider's issuer. */
  readonly issuer: string;
  /** The client id registered at the provider. */
  readonly clientId: string;
  /** Base URLs of the APIs that get access tokens, comma-separated. */
  readonly apis?: string;
  /** The API identifier to request access tokens for. */
  readonly audience?: string;
}
