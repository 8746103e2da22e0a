// HTTPS_PROXY / HTTP_PROXY / NO_PROXY for both transports: undici's EnvHttpProxyAgent for REST,
// and an HTTP CONNECT agent for WebSockets (ws takes a Node http.Agent). Nothing is loaded or
// changed when no proxy variable is set.
import type { Agent } from 'node:http';
import type { Dispatcher } from 'undici';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARIABLES.some((name) => (env[name] ?? '') !== '');
}

let dispatcher: Dispatcher | undefined;

/** The undici dispatcher for REST calls, or undefined for undici's default (no proxy). */
export async function httpDispatcher(): Promise<Dispatcher | undefined> {
  if (!proxyConfigured()) return undefined;
  if (!dispatcher) {
    const { EnvHttpProxyAgent } = await import('undici');
    dispatcher = new EnvHttpProxyAgent();
  }
  return dispatcher;
}

/** An agent that tunnels a ws:// or wss:// URL through the configured proxy, unless NO_PROXY exempts it. */
export async function webSocketAgent(url: URL): Promise<Agent | undefined> {
  if (!proxyConfigured()) return undefined;
  const { getProxyForUrl } = await import('proxy-from-env');
  // proxy-from-env looks up `<scheme>_proxy`; a WebSocket goes through the proxy of its HTTP scheme.
  const httpEquivalent = new URL(url.href);
  httpEquivalent.protocol = url.protocol === 'ws:' ? 'http:' : 'https:';
  const proxy = getProxyForUrl(httpEquivalent.href);
  if (!proxy) return undefined;
  const { HttpsProxyAgent } = await import('https-proxy-agent');
  return new HttpsProxyAgent(proxy);
}
