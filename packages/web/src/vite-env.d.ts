/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_USER_POOL_ID?: string;
  readonly VITE_USER_POOL_CLIENT_ID?: string;
  readonly VITE_API_URL?: string;
  readonly VITE_REGION?: string;
  /** Set only by the offline stack (packages/local): the cognito-local URL. */
  readonly VITE_COGNITO_ENDPOINT?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
