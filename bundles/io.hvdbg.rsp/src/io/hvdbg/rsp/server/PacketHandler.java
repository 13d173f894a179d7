/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.server;

import io.hvdbg.rsp.codec.PacketBuffer;
import io.hvdbg.rsp.codec.PacketScanner;

/** Handles one kind of packet; installed in a {@link PacketTable} under the packet's name. */
@FunctionalInterface
public interface PacketHandler {
    /**
     * Handles a packet. {@code in} stands right after the packet name. Returns true when
     * {@code out} holds the reply to send now (an empty buffer is the empty reply), false when
     * the reply comes later (the target was resumed; the stop reply answers).
     *
     * <p>Throw {@link io.hvdbg.rsp.codec.MalformedPacketException} for bad fields and
     * {@link IllegalArgumentException}/{@link IllegalStateException} for requests that cannot be
     * served; the session turns them into an {@code E.} reply with the message.
     */
    boolean handle(GdbSession session, PacketScanner in, PacketBuffer out);
}
