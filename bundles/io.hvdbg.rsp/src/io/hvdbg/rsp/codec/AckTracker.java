/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

/**
 * The sending half of acknowledgement mode: frames outgoing packets, keeps the last one
 * while acknowledgements are on, and resends it when the peer answers {@code -}. After
 * {@code QStartNoAckMode} nothing is kept and stray {@code +}/{@code -} are ignored.
 * A packet is resent a bounded number of times, so a peer that nacks everything cannot
 * keep the connection busy forever.
 */
public final class AckTracker {
    public static final int MAX_RETRANSMITS = 8;

    private boolean ackMode = true;
    private boolean runLengthEncode;
    private final PacketBuffer lastFrame = new PacketBuffer();
    private boolean awaitingAck;
    private int retransmits;

    public AckTracker(boolean runLengthEncode) {
        this.runLengthEncode = runLengthEncode;
    }

    public boolean ackMode() {
        return ackMode;
    }

    /** Turns acknowledgements off for good (after QStartNoAckMode was agreed). */
    public void disableAcks() {
        ackMode = false;
        awaitingAck = false;
        lastFrame.clear();
    }

    public void setRunLengthEncode(boolean on) {
        runLengthEncode = on;
    }

    /** Frames a packet onto {@code wire}, remembering it for a possible resend. */
    public void send(byte[] data, int off, int len, PacketBuffer wire) {
        int start = wire.length();
        FrameEncoder.frame(data, off, len, runLengthEncode, wire);
        if (ackMode) {
            lastFrame.clear().append(wire.array(), start, wire.length() - start);
            awaitingAck = true;
            retransmits = 0;
        }
    }

    public void send(PacketBuffer payload, PacketBuffer wire) {
        send(payload.array(), 0, payload.length(), wire);
    }

    /** True while a packet sent in acknowledgement mode has not been acknowledged. */
    public boolean awaitingAck() {
        return awaitingAck;
    }

    /** The peer acknowledged. */
    public void acked() {
        awaitingAck = false;
    }

    /** The peer asked for a resend: appends the last frame to {@code wire}; false if there is none or the limit is hit. */
    public boolean nacked(PacketBuffer wire) {
        if (!ackMode || !awaitingAck || retransmits >= MAX_RETRANSMITS) {
            return false;
        }
        retransmits++;
        wire.append(lastFrame.array(), 0, lastFrame.length());
        return true;
    }
}
