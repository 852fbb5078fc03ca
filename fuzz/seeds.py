#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from spec/vectors/zap.toml and
spec/vectors/lrv.toml.

    fuzz/seeds.py [OUT_DIR]        (default: fuzz/corpus)

fuzz/corpus is git-ignored: the seeds are derived data, regenerated from the
vectors on every run of fuzz/smoke.sh, so they follow the vectors as those
change. libFuzzer adds what it finds to the same folders.

  corpus/zap_decode/ every vector frame and stream input, raw (zap §3.2);
                     the same in corpus/decode/, for its old name
  corpus/zap_roundtrip/  the same bytes, read by `arbitrary` as choices of a
                     message (varied starting points, not the vectors' messages)
  corpus/zap_stream/ stream inputs in the `zap_stream` target's layout
                     (fuzz/src/chunks.rs): each vector and stream input in
                     both end modes, uncut and cut in two; each direction's
                     valid frames glued into one stream; and the same bytes
                     as `arbitrary` choices for the messages mode

  corpus/lrv_decode/ every input of spec/vectors/lrv.toml in the layout of
                     fuzz_targets/lrv_decode.rs: raw, with the line kind
                     it expects first, uncut, cut in two, and with a
                     boundary after every read; the canonical requests
                     glued, and the greeting then the canonical replies
                     glued; and the same bytes as `arbitrary` choices for
                     the messages mode

`zap_session` and `lrv_session` get no seeds: their input is a script of
client actions as `arbitrary` choices, which the vectors do not describe
(`lrv_session` builds its requests from pools of the vectors' CPFs and
numbers itself, and takes fuzz/lrv.dict for its arbitrary bytes); libFuzzer
starts them from nothing and finds the states within seconds.

Byte strings use the vectors' piece syntax (see the header of zap.toml).
Standard library only (Python 3.11+, for tomllib).
"""

import hashlib
import pathlib
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "spec" / "vectors" / "zap.toml"
LRV_VECTORS = ROOT / "spec" / "vectors" / "lrv.toml"
TO_SERVER = {b"01", b"03", b"05", b"08", b"10"}

# Selector bits of the zap_stream target (fuzz/src/chunks.rs).
TO_CLIENT, MESSAGES, BOUNDARY_EACH = 1, 2, 4

# Selector of the lrv_decode target (fuzz_targets/lrv_decode.rs): bits 0-1
# the first line expected, bit 2 the messages mode, bit 3 a boundary after
# every read.
LRV_FIRST = {"request": 0, "greeting": 1, "reply": 2}
LRV_MESSAGES, LRV_BOUNDARY_EACH = 4, 8


def piece(p):
    if isinstance(p, str):
        return p.encode()
    if "hex" in p:
        return bytes.fromhex(p["hex"].replace(" ", ""))
    if "repeat" in p:
        return p["repeat"].encode() * p["count"]
    if "seq" in p:
        first, last = p["seq"]
        return ",".join(str(n) for n in range(first, last + 1)).encode()
    raise ValueError(f"unknown piece {p!r}")


def bytes_of(value):
    return piece(value) if isinstance(value, str) else b"".join(piece(p) for p in value)


def direction(entry, raw):
    if "direction" in entry:
        return entry["direction"]
    return "to_server" if raw[:2] in TO_SERVER or raw[:2][:1] not in (b"0", b"1") else "to_client"


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fuzz" / "corpus"
    doc = tomllib.loads(VECTORS.read_text(encoding="utf-8"))
    inputs = []  # (name, bytes, direction)
    glued = {"to_server": b"", "to_client": b""}
    for v in doc.get("vector", []):
        raw = bytes.fromhex(v["hex"].replace(" ", "")) if "hex" in v else bytes_of(v["frame"])
        d = direction(v, raw)
        inputs.append((v["name"], raw, d))
        if "error" not in v and v.get("canonical", False):
            glued[d] += raw
    for s in doc.get("stream", []):
        inputs.append((s["name"], bytes_of(s["input"]), s["direction"]))

    written = 0

    def write(target, data):
        nonlocal written
        folder = out / target
        folder.mkdir(parents=True, exist_ok=True)
        # Named by content, like libFuzzer's own finds: duplicates collapse.
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        written += 1

    for name, raw, d in inputs:
        dirbit = TO_CLIENT if d == "to_client" else 0
        write("zap_decode", raw)
        write("decode", raw)
        write("zap_roundtrip", raw)
        for mode in (0, BOUNDARY_EACH):
            write("zap_stream", bytes([dirbit | mode, 0]) + raw)
            if len(raw) > 1:
                write("zap_stream", bytes([dirbit | mode, 1, min(len(raw) // 2, 255)]) + raw)
        write("zap_stream", bytes([dirbit | MESSAGES]) + raw)
    for d, raw in glued.items():
        dirbit = TO_CLIENT if d == "to_client" else 0
        write("zap_stream", bytes([dirbit, 0]) + raw)
        write("zap_stream", bytes([dirbit, 3, 7, 40, 200]) + raw)

    lrv = lrv_inputs()
    for first, raw in lrv:
        write("lrv_decode", bytes([first, 0]) + raw)
        if len(raw) > 1:
            write("lrv_decode", bytes([first, 1, min(len(raw) // 2, 255)]) + raw)
        write("lrv_decode", bytes([first | LRV_BOUNDARY_EACH, 0]) + raw)
        write("lrv_decode", bytes([first | LRV_MESSAGES]) + raw)

    print(f"seeds: {len(inputs)} zap and {len(lrv)} lrv vectors -> {written} files under {out}")


def lrv_inputs():
    """(first line expected, bytes) for every input of lrv.toml, and the
    canonical requests and the greeting with the canonical replies glued."""
    doc = tomllib.loads(LRV_VECTORS.read_text(encoding="utf-8"))
    out = []
    glued = {0: b"", 1: b""}
    for v in doc.get("vector", []):
        raw = bytes_of(v["input"])
        first = LRV_FIRST[v["line"]]
        out.append((first, raw))
        if "error" not in v and v.get("canonical", False):
            if v["line"] == "request":
                glued[0] += raw
            elif v["line"] == "reply" and len(glued[1]) < 4096:
                glued[1] += raw
            elif v["line"] == "greeting" and v.get("standard"):
                glued[1] = raw + glued[1]
    for v in doc.get("lenient", []):
        out.append((LRV_FIRST["reply"], bytes_of(v["input"])))
    for s in doc.get("stream", []):
        if s["direction"] == "to_server":
            first = LRV_FIRST["request"]
        else:
            first = LRV_FIRST["reply" if s.get("greeted") else "greeting"]
        out.append((first, bytes_of(s["input"])))
    out.extend(glued.items())
    return out


if __name__ == "__main__":
    main()
