#!/usr/bin/env python3
"""Copies ONNX Runtime's native library with its AVX-512 kernels switched off, for the AVX2 view.

MLAS picks its kernels once, from CPUID and XCR0. Where it tests XCR0 for the AVX-512 state
(`not rax; test al, 0xE0; je avx512`) the jump becomes a six-byte NOP, so MLAS keeps the AVX2/FMA3
kernels it had chosen just before: what it runs on a machine without AVX-512. Only the four copies of
that test in 1.31.1's linux-x64 library are patched; any other count stops the script.
usage: ort_without_avx512.py SOURCE.so DESTINATION.so
"""
import re
import sys

XCR0_AVX512_TEST = bytes.fromhex("48f7d0a8e00f84")  # not rax; test al, 0xE0; je rel32
NOP6 = bytes.fromhex("660f1f440000")

source, destination = sys.argv[1], sys.argv[2]
data = bytearray(open(source, "rb").read())
sites = [m.start() for m in re.finditer(re.escape(XCR0_AVX512_TEST), data)]
if len(sites) != 4:
    sys.exit(f"expected 4 AVX-512 state tests in {source}, found {len(sites)}: not the library this script knows")
for site in sites:
    jump = site + 5
    data[jump:jump + 6] = NOP6
open(destination, "wb").write(bytes(data))
print(f"{destination}: AVX-512 kernel selection removed at {', '.join(hex(s + 5) for s in sites)}")
