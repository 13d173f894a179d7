/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

/**
 * A packet whose fields do not parse. Packet handlers throw it from {@link PacketScanner};
 * the dispatcher turns it into an {@code E.} reply naming the problem, so it never leaves
 * the connection's loop.
 */
public final class MalformedPacketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
