/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * One decoded instruction in the compact form the interpreter dispatches on: a dense opcode id
 * ({@link Op}), a sub-operation for grouped opcodes, operand and address sizes, resolved
 * register numbers and the parts of a memory operand. Decoded once per address and cached per
 * code page ({@link DecodeCache}).
 */
final class Insn {
    /** Register number meaning "RIP-relative" in {@link #base}. */
    static final int BASE_RIP = 16;
    /** Flag in a byte-register number: AH, CH, DH, BH (bits 8-15 of register n & 3). */
    static final int HIGH_BYTE = 0x20;

    int op;
    /** Sub-operation: ALU op, shift op, condition code, group member. */
    int sub;
    /** Operand size in bytes (1, 2, 4, 8). */
    int size;
    /** Address size in bytes (2, 4, 8). */
    int asize;
    int len;
    /** Decode mode (16, 32, 64) the cached form is valid for. */
    int mode;
    /** ModRM.reg (with REX.R) or the register encoded in the opcode. */
    int reg;
    /** ModRM.rm register (with REX.B) when {@link #mem} is false. */
    int rm;
    boolean mem;
    int base = -1;
    int index = -1;
    int scale;
    long disp;
    /** Effective segment (override or default): 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS. */
    int seg;
    boolean segOverride;
    long imm;
    long imm2;
    /** 0 none, 1 REP/REPE (F3), 2 REPNE (F2). */
    int rep;
    boolean lock;
    boolean opsizePrefix;
    /** Crosses a page: not cached. */
    boolean uncached;
}
