/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

/**
 * Frames packet data for the wire: {@code $}, the data (optionally run-length encoded),
 * {@code #} and the two-digit checksum of what was sent.
 *
 * <p>The data must already be in wire form: binary parts escaped
 * ({@link PacketBuffer#appendEscaped}), no bare {@code $ # *} (a {@code }} only as an escape).
 * Run-length encoding works on those raw characters, as gdb's reader expands them before it
 * removes escapes. A run is encoded only when it saves bytes (four or more equal characters)
 * and never with a repeat count that would read as {@code #} or {@code $}.
 */
public final class FrameEncoder {
    /** Largest repeat count a single run can encode: '~' - 29. */
    private static final int MAX_REPEAT = 126 - 29;

    private FrameEncoder() {
    }

    /** Appends the framed packet to {@code out}. */
    public static void frame(byte[] data, int off, int len, boolean runLengthEncode, PacketBuffer out) {
        out.ensure(len + 4);
        out.append('$');
        int sum = 0;
        if (!runLengthEncode) {
            out.append(data, off, len);
            for (int i = off, end = off + len; i < end; i++) {
                sum += data[i] & 0xFF;
            }
        } else {
            int end = off + len;
            int i = off;
            while (i < end) {
                byte c = data[i];
                int run = 1;
                while (i + run < end && data[i + run] == c && run <= MAX_REPEAT) {
                    run++;
                }
                int extra = run - 1;
                if (extra >= 3) {
                    // 6 and 7 would give '#' and '$'; send one copy less and let the rest start a new run.
                    if (extra == 6 || extra == 7) {
                        extra = 5;
                    }
                    int countChar = extra + 29;
                    out.append(c);
                    out.append('*');
                    out.append(countChar);
                    sum += (c & 0xFF) + '*' + countChar;
                    i += extra + 1;
                } else {
                    out.append(c);
                    sum += c & 0xFF;
                    i++;
                }
            }
        }
        out.append('#');
        out.appendHexByte(sum & 0xFF);
    }

    public static void frame(PacketBuffer data, boolean runLengthEncode, PacketBuffer out) {
        frame(data.array(), 0, data.length(), runLengthEncode, out);
    }

    /** The checksum of wire data: the sum of its bytes modulo 256. */
    public static int checksum(byte[] data, int off, int len) {
        int sum = 0;
        for (int i = off, end = off + len; i < end; i++) {
            sum += data[i] & 0xFF;
        }
        return sum & 0xFF;
    }
}
