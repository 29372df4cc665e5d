/** What the global setup hands to test files through `inject()`. */
declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export {};
