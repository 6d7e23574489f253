/**
 * Test helper: a real HTTP server on 127.0.0.1 that records every request. Node builtins are
 * loaded by name because the project's type configuration targets workerd; never import this
 * from runtime code.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface TestReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface LocalTestServer {
  port: number;
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startLocalTestServer(handle: (request: RecordedRequest) => TestReply | Promise<TestReply>): Promise<LocalTestServer> {
  const httpName = "node:http";
  const http = (await import(/* @vite-ignore */ httpName)) as any;
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req: any, res: any) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    req.on("end", async () => {
      const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
      const body = new Uint8Array(total);
      let offset = 0;
      for (const chunk of chunks) {
        body.set(chunk, offset);
        offset += chunk.byteLength;
      }
      const recorded: RecordedRequest = { method: req.method, url: req.url, headers: req.headers, body };
      requests.push(recorded);
      const reply = await handle(recorded);
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.address().port as number;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
