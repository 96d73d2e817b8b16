// The polyfill ships without types; the test only hands its constructor to the Direct Line client.
declare module 'xmlhttprequest-ssl' {
  export const XMLHttpRequest: unknown;
}
