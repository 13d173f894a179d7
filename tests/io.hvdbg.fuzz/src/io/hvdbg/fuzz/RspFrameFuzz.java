/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.fuzz;

import io.hvdbg.rsp.codec.FrameDecoder;

/**
 * The RSP frame decoder on an arbitrary byte stream cut into arbitrary chunks: it must never
 * throw, and every packet it delivers fits the negotiated size.
 */
public final class RspFrameFuzz {
    private static final int MAX_PAYLOAD = 4096;

    public static void fuzzerTestOneInput(byte[] data) {
        FrameDecoder decoder = new FrameDecoder(MAX_PAYLOAD);
        FrameDecoder.Sink sink = new FrameDecoder.Sink() {
            @Override
            public void packet(byte[] payload, int length) {
                if (length < 0 || length > payload.length) {
                    throw new AssertionError("packet length " + length + " outside its buffer");
                }
            }

            @Override
            public void problem(FrameDecoder.Problem problem, String detail) {
                if (detail == null || detail.isBlank()) {
                    throw new AssertionError("problem " + problem + " without a detail");
                }
            }
        };
        // The first byte chooses the chunking, as TCP would cut the stream.
        int chunk = data.length == 0 ? 1 : 1 + (data[0] & 0x3f);
        for (int off = 0; off < data.length; off += chunk) {
            decoder.feed(data, off, Math.min(chunk, data.length - off), sink);
        }
    }
}
