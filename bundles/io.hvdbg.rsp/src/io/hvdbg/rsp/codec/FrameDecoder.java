/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

import java.util.Arrays;

/**
 * Turns the bytes arriving on a remote-protocol connection into events: packets
 * ({@code $data#xx}, checksum verified, run-length encoding expanded, {@code }} escapes
 * removed), acknowledgements ({@code +}/{@code -}) and the interrupt byte (0x03).
 *
 * <p>A push parser: bytes are fed in whatever pieces the transport delivers and the decoder
 * keeps its state in between, so it never blocks and needs no thread. It never throws for
 * bad input: a bad checksum, a packet longer than the negotiated maximum or a broken
 * run-length sequence is reported to the sink as a {@link Problem}, and the decoder goes
 * back to waiting for the next {@code $}. Memory stays bounded by the maximum: the bytes of an
 * oversized packet are counted, not kept.
 *
 * <p>Run-length expansion repeats the raw character before {@code *}, and only then are
 * escapes removed, as gdb's own reader does, so the two encodings compose as every sender
 * expects.
 */
public final class FrameDecoder {
    /** Receives what the decoder recognises. Payload arrays are valid only during the call. */
    public interface Sink {
        /** A complete, verified packet. */
        void packet(byte[] payload, int length);

        /** {@code +}: the peer received our last packet. */
        default void ack() {
        }

        /** {@code -}: the peer wants our last packet again. */
        default void nack() {
        }

        /** The 0x03 byte between packets: the peer asks a running target to stop. */
        default void interrupt() {
        }

        /** A packet that arrived but cannot be used; {@code detail} says why in words. */
        void problem(Problem problem, String detail);
    }

    /** What was wrong with a packet. */
    public enum Problem {
        /** The checksum does not match the data (a nack in acknowledgement mode). */
        CHECKSUM,
        /** The data is longer than the negotiated maximum packet size. */
        OVERSIZE,
        /** A run-length sequence or escape is broken, or the checksum is not two hex digits. */
        MALFORMED
    }

    private enum State { IDLE, DATA, CHECKSUM_HIGH, CHECKSUM_LOW }

    private State state = State.IDLE;
    private int maxPayload;
    private byte[] raw = new byte[1024];
    private int rawLength;
    /** Bytes of the current packet's data, kept or not (for oversize reports). */
    private long dataLength;
    private int sum;
    private int received;
    private boolean sawRle;
    private boolean sawEscape;
    private byte[] decoded = new byte[1024];
    private long noiseBytes;
    private long packets;

    /** @param maxPayload largest packet data (between {@code $} and {@code #}) accepted */
    public FrameDecoder(int maxPayload) {
        setMaxPayload(maxPayload);
    }

    public void setMaxPayload(int maxPayload) {
        if (maxPayload < 16) {
            throw new IllegalArgumentException("maximum packet size must be at least 16, not " + maxPayload);
        }
        this.maxPayload = maxPayload;
    }

    public int maxPayload() {
        return maxPayload;
    }

    /** True while a packet has started but not ended. */
    public boolean inPacket() {
        return state != State.IDLE;
    }

    /** Bytes seen between packets that were none of {@code $ + - 0x03} (line noise, stray text). */
    public long noiseBytes() {
        return noiseBytes;
    }

    /** Packets delivered so far. */
    public long packets() {
        return packets;
    }

    /** Drops a partly received packet. */
    public void reset() {
        state = State.IDLE;
        rawLength = 0;
        dataLength = 0;
    }

    /** Feeds received bytes; calls the sink for each event they complete. */
    public void feed(byte[] buf, int off, int len, Sink sink) {
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case IDLE -> {
                    int b = buf[i++] & 0xFF;
                    switch (b) {
                        case '$' -> startPacket();
                        case '+' -> sink.ack();
                        case '-' -> sink.nack();
                        case 0x03 -> sink.interrupt();
                        default -> noiseBytes++;
                    }
                }
                case DATA -> i = scanData(buf, i, end);
                case CHECKSUM_HIGH -> {
                    int b = buf[i++] & 0xFF;
                    int v = Hex.value(b);
                    if (v < 0) {
                        badChecksumDigit(b, sink);
                    } else {
                        received = v << 4;
                        state = State.CHECKSUM_LOW;
                    }
                }
                case CHECKSUM_LOW -> {
                    int b = buf[i++] & 0xFF;
                    int v = Hex.value(b);
                    if (v < 0) {
                        badChecksumDigit(b, sink);
                    } else {
                        received |= v;
                        state = State.IDLE;
                        complete(sink);
                    }
                }
            }
        }
    }

    private void startPacket() {
        state = State.DATA;
        rawLength = 0;
        dataLength = 0;
        sum = 0;
        sawRle = false;
        sawEscape = false;
    }

    /** The hot loop: copies data bytes up to '#' and sums them. */
    private int scanData(byte[] buf, int i, int end) {
        int s = sum;
        while (i < end) {
            byte b = buf[i];
            if (b == '#') {
                sum = s;
                state = State.CHECKSUM_HIGH;
                return i + 1;
            }
            if (b == '$') {
                // A new start inside a packet: the sender gave up on the old one (gdb does the same).
                startPacket();
                return i + 1;
            }
            if (b == '*') {
                sawRle = true;
            } else if (b == PacketBuffer.ESCAPE) {
                sawEscape = true;
            }
            s += b & 0xFF;
            if (dataLength < maxPayload) {
                if (rawLength == raw.length) {
                    raw = Arrays.copyOf(raw, (int) Math.min((long) maxPayload, raw.length * 2L));
                }
                raw[rawLength++] = b;
            }
            dataLength++;
            i++;
        }
        sum = s;
        return i;
    }

    private void badChecksumDigit(int b, Sink sink) {
        state = State.IDLE;
        sink.problem(Problem.MALFORMED, String.format("packet checksum is not two hex digits (got byte 0x%02x)", b));
        if (b == '$') {
            startPacket();
        }
    }

    private void complete(Sink sink) {
        if (dataLength > maxPayload) {
            sink.problem(Problem.OVERSIZE, "packet of " + dataLength + " bytes is longer than the maximum packet size "
                    + maxPayload + " (0x" + Integer.toHexString(maxPayload) + ")");
            return;
        }
        if ((sum & 0xFF) != received) {
            sink.problem(Problem.CHECKSUM, String.format("packet checksum mismatch: sent %02x, data sums to %02x",
                    received, sum & 0xFF));
            return;
        }
        byte[] data = raw;
        int n = rawLength;
        if (sawRle) {
            n = expandRunLength(n);
            if (n < 0) {
                sink.problem(n == -2 ? Problem.OVERSIZE : Problem.MALFORMED, n == -2
                        ? "run-length encoded packet expands beyond the maximum packet size " + maxPayload
                        : "broken run-length encoding ('*' at the start or with a repeat count below ' ')");
                return;
            }
            data = decoded;
        }
        if (sawEscape) {
            if (data == raw) {
                ensureDecoded(n);
                System.arraycopy(raw, 0, decoded, 0, n);
                data = decoded;
            }
            n = unescape(data, n);
            if (n < 0) {
                sink.problem(Problem.MALFORMED, "packet ends inside an escape sequence");
                return;
            }
        }
        packets++;
        sink.packet(data, n);
    }

    private void ensureDecoded(int n) {
        if (decoded.length < n) {
            decoded = new byte[Math.max(n, decoded.length * 2)];
        }
    }

    /** Expands "c*n" runs from raw into decoded; -1 if malformed, -2 if too long. */
    private int expandRunLength(int n) {
        ensureDecoded(Math.min(n * 2, maxPayload));
        int o = 0;
        for (int i = 0; i < n; i++) {
            byte b = raw[i];
            if (b == '*') {
                if (o == 0 || i + 1 >= n) {
                    return -1;
                }
                int repeat = (raw[++i] & 0xFF) - 29;
                if (repeat < 3 || repeat > 126 - 29) {
                    return -1;
                }
                if (o + repeat > maxPayload) {
                    return -2;
                }
                ensureCapacity(o + repeat);
                Arrays.fill(decoded, o, o + repeat, decoded[o - 1]);
                o += repeat;
            } else {
                if (o >= maxPayload) {
                    return -2;
                }
                ensureCapacity(o + 1);
                decoded[o++] = b;
            }
        }
        return o;
    }

    private void ensureCapacity(int n) {
        if (decoded.length < n) {
            decoded = Arrays.copyOf(decoded, Math.max(n, decoded.length * 2));
        }
    }

    /** Removes escapes in place; -1 if the data ends with a lone escape byte. */
    private static int unescape(byte[] d, int n) {
        int o = 0;
        for (int i = 0; i < n; i++) {
            byte b = d[i];
            if (b == PacketBuffer.ESCAPE) {
                if (++i >= n) {
                    return -1;
                }
                d[o++] = (byte) (d[i] ^ PacketBuffer.ESCAPE_XOR);
            } else {
                d[o++] = b;
            }
        }
        return o;
    }
}
