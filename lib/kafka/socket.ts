/**
 * kafkajs's socket factory, the same as its own (node `net`/`tls`, keep-alive
 * 60 s, SNI for host names), with one addition: it reports socket failures
 * that no retry can fix (see `isFatalSocketError` in `failures.ts`), and
 * turns TLS heard on a plaintext connection into such a failure, so a
 * connect fails with the reason at once instead of after kafkajs's retries
 * or with a bare "Closed connection".
 *
 * @module
 */
import net from "node:net";
import tls from "node:tls";
import type { ISocketFactory } from "kafkajs";
import { isFatalSocketError, looksLikeTls, PLAINTEXT_TO_TLS } from "./failures.ts";

/** kafkajs's keep-alive delay. */
const KEEP_ALIVE_DELAY_MS = 60_000;

/** A socket failure and the broker it came from. */
export interface SocketFailure {
  error: Error & { code?: string };
  broker: string;
}

/** Where the sockets of one client report their fatal failures. */
export class SocketFailures {
  #listeners = new Set<(failure: SocketFailure) => void>();

  /** Passes `failure` to everyone waiting. */
  report(failure: SocketFailure): void {
    for (const listener of this.#listeners) listener(failure);
  }

  /** The next failure reported; call `cancel()` when no longer waiting. */
  next(): { failure: Promise<SocketFailure>; cancel(): void } {
    let listener!: (failure: SocketFailure) => void;
    const failure = new Promise<SocketFailure>((resolve) => {
      listener = (f) => {
        this.#listeners.delete(listener);
        resolve(f);
      };
      this.#listeners.add(listener);
    });
    return { failure, cancel: () => this.#listeners.delete(listener) };
  }
}

/** A kafkajs socket factory whose sockets report fatal failures to `failures`. */
export function watchedSocketFactory(failures: SocketFailures): ISocketFactory {
  return ({ host, port, ssl, onConnect }) => {
    const broker = `${host}:${port}`;
    const socket = ssl
      ? tls.connect(
        { host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl },
        onConnect,
      )
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    socket.on("error", (error: Error & { code?: string }) => {
      if (isFatalSocketError(error)) failures.report({ error, broker });
    });
    if (!ssl) {
      // Only the first chunk: a TLS listener answers our first request with an alert.
      socket.once("data", (chunk: Uint8Array) => {
        if (!looksLikeTls(chunk)) return;
        const error = Object.assign(new Error(`${broker} answered with TLS`), {
          code: PLAINTEXT_TO_TLS,
        });
        socket.destroy(error);
      });
    }
    return socket;
  };
}
