/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * An architectural exception raised while executing an instruction (#GP, #PF, #UD …). The
 * interpreter unwinds to the instruction boundary and delivers it through the IDT. No stack
 * trace: it is control flow, not an error of the core.
 */
final class Fault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8, TS = 10, NP = 11,
            SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19;

    final int vector;
    final int errorCode;
    final boolean hasErrorCode;

    Fault(int vector, int errorCode, boolean hasErrorCode) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.hasErrorCode = hasErrorCode;
    }

    static Fault of(int vector) {
        return new Fault(vector, 0, false);
    }

    static Fault gp(int error) {
        return new Fault(GP, error, true);
    }

    static boolean hasErrorCode(int vector) {
        return vector == DF || (vector >= TS && vector <= PF) || vector == AC || vector == 21;
    }
}
