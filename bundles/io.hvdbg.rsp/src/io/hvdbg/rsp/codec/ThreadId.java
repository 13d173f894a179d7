/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.codec;

/**
 * Thread ids as packets carry them: a hex number, {@code 0} (any thread), {@code -1} (all
 * threads), or the multiprocess form {@code pPID.TID}.
 */
public final class ThreadId {
    /** "-1": all threads. */
    public static final long ALL = -1;
    /** "0": any thread. */
    public static final long ANY = 0;

    private ThreadId() {
    }

    /** Reads a thread id; for {@code pPID.TID} returns TID (ALL when only a process is named). */
    public static long read(PacketScanner in) {
        if (in.accept('p')) {
            in.signedHex();
            if (in.accept('.')) {
                return in.signedHex();
            }
            return ALL;
        }
        return in.signedHex();
    }

    /** Appends a thread id in the plain (non-multiprocess) form. */
    public static void write(long tid, PacketBuffer out) {
        if (tid < 0) {
            out.appendAscii("-1");
        } else {
            out.appendHexNumber(tid);
        }
    }
}
