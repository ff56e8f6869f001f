#!/usr/bin/env node
// An OTLP/HTTP receiver on loopback for the live export tests: it decodes what it receives with
// code that protobufjs generated from opentelemetry-proto's .proto files (shipped in the npm
// package @opentelemetry/otlp-transformer, installed by tools/install-deps.sh).
//
//     otlp_receiver.js MODE PORT STATE_DIR
//
// Modes: ok (200, an empty Export*ServiceResponse), error (500), hang (reads the request and
// never answers). STATE_DIR/listening appears once it accepts connections; each request appends
// a JSON line to STATE_DIR/requests.jsonl: its path, headers, content type, encoding, whether
// decoding succeeded, whether every field it carried is a field of the message (protobuf: the
// decoded message re-encodes to the same length, so no field was skipped as unknown; JSON: the
// document survives the proto's own fromObject/encode/decode/toObject unchanged), and the
// request itself in OTLP/JSON's shape (hex ids, 64-bit integers as strings).
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const modules = process.env.CIPERF_TEST_NODE_MODULES || "/usr/local/share/ciperf-tests/node_modules";
const root = require(path.join(modules, "@opentelemetry/otlp-transformer/build/src/generated/root.js"));
const collector = root.opentelemetry.proto.collector;

const [mode, port, state] = process.argv.slice(2);
const log = path.join(state, "requests.jsonl");
const idKeys = new Set(["traceId", "spanId", "parentSpanId"]);

function mapIds(value, convert) {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, convert));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = idKeys.has(k) ? convert(v) : mapIds(v, convert);
    return out;
  }
  return value;
}

// Empty lists are how OTLP/JSON may say "none"; protobuf cannot tell them from absent.
function dropEmpty(value) {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (!(Array.isArray(v) && v.length === 0)) out[k] = dropEmpty(v);
    return out;
  }
  return value;
}

// Key order is no part of JSON's meaning (the proto's declaration order differs from ciperf's).
function canonical(value) {
  if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
  if (value && typeof value === "object")
    return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
  return JSON.stringify(value);
}

const toObjectOptions = { longs: String, enums: Number, bytes: String };
const b64ToHex = (v) => Buffer.from(v, "base64").toString("hex");
const hexToB64 = (v) => Buffer.from(v, "hex").toString("base64");

function decode(type, contentType, body) {
  if (contentType.startsWith("application/x-protobuf")) {
    const message = type.decode(body);
    const request = mapIds(type.toObject(message, toObjectOptions), b64ToHex);
    return { encoding: "protobuf", request, known_fields: type.encode(message).finish().length === body.length };
  }
  if (contentType.startsWith("application/json")) {
    const document = dropEmpty(JSON.parse(body.toString("utf8")));
    const message = type.fromObject(mapIds(document, hexToB64));
    const back = type.toObject(type.decode(type.encode(message).finish()), toObjectOptions);
    const request = mapIds(back, b64ToHex);
    return { encoding: "json", request: document, known_fields: canonical(request) === canonical(document) };
  }
  return { encoding: "unknown", error: "content type " + contentType };
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const metrics = req.url.includes("metric");
    const service = metrics ? collector.metrics.v1 : collector.trace.v1;
    const type = metrics ? service.ExportMetricsServiceRequest : service.ExportTraceServiceRequest;
    const entry = { path: req.url, method: req.method, headers: req.headers, signal: metrics ? "metrics" : "traces" };
    try {
      Object.assign(entry, decode(type, req.headers["content-type"] || "", body));
      entry.ok = !entry.error;
    } catch (e) {
      entry.ok = false;
      entry.error = String(e);
    }
    fs.appendFileSync(log, JSON.stringify(entry) + "\n");
    if (mode === "hang") return; // never answers
    if (mode === "error") {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("collector exploded");
      return;
    }
    const response = metrics ? service.ExportMetricsServiceResponse : service.ExportTraceServiceResponse;
    const json = (req.headers["content-type"] || "").startsWith("application/json");
    res.writeHead(200, { "Content-Type": json ? "application/json" : "application/x-protobuf" });
    res.end(json ? "{}" : Buffer.from(response.encode(response.create({})).finish()));
  });
});
server.listen(Number(port), "127.0.0.1", () => fs.writeFileSync(path.join(state, "listening"), "1\n"));
// Stops by itself: no test needs it longer.
setTimeout(() => process.exit(0), 120000).unref();
