/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny RV64 assembler for test guests that need an exact layout (code and data at chosen
 * offsets, page tables, self-modifying code): 32-bit encodings only, labels resolved at the end.
 * The image is loaded at {@link #BASE} (a raw kernel at RAM + 2 MiB).
 */
final class MiniAsm {
    static final long BASE = 0x8020_0000L;

    static final int ZERO = 0, RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12,
            A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17, S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23,
            T3 = 28, T4 = 29, T5 = 30, T6 = 31;
    static final int STVEC = 0x105, SEPC = 0x141, SATP = 0x180;

    private byte[] image = new byte[0x1000];
    private int at;
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Runnable> fixups = new ArrayList<>();

    /** Moves the assembly point to byte {@code offset} of the image. */
    MiniAsm org(int offset) {
        at = offset;
        return this;
    }

    int here() {
        return at;
    }

    MiniAsm label(String name) {
        labels.put(name, at);
        return this;
    }

    int address(String name) {
        Integer a = labels.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no label " + name);
        }
        return a;
    }

    MiniAsm word(int w) {
        grow(at + 4);
        image[at] = (byte) w;
        image[at + 1] = (byte) (w >>> 8);
        image[at + 2] = (byte) (w >>> 16);
        image[at + 3] = (byte) (w >>> 24);
        at += 4;
        return this;
    }

    MiniAsm dword(long v) {
        word((int) v);
        return word((int) (v >>> 32));
    }

    private void grow(int size) {
        if (size > image.length) {
            image = java.util.Arrays.copyOf(image, Math.max(size, image.length * 2));
        }
    }

    byte[] assemble() {
        for (Runnable f : fixups) {
            f.run();
        }
        int end = image.length;
        while (end > 0 && image[end - 1] == 0) {
            end--;
        }
        return java.util.Arrays.copyOf(image, (end + 0xFFF) & ~0xFFF);
    }

    // ---- encodings ----

    static int r(int f7, int rs2, int rs1, int f3, int rd, int op) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
    }

    static int i(int imm, int rs1, int f3, int rd, int op) {
        return (imm & 0xFFF) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
    }

    static int s(int imm, int rs2, int rs1, int f3) {
        return ((imm >> 5) & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | 0x23;
    }

    static int b(int imm, int rs2, int rs1, int f3) {
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | ((imm >> 1) & 0xF) << 8 | ((imm >> 11) & 1) << 7 | 0x63;
    }

    static int j(int imm, int rd) {
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3FF) << 21 | ((imm >> 11) & 1) << 20
                | ((imm >> 12) & 0xFF) << 12 | rd << 7 | 0x6F;
    }

    // ---- instructions ----

    MiniAsm addi(int rd, int rs1, int imm) { return word(i(imm, rs1, 0, rd, 0x13)); }
    MiniAsm addiw(int rd, int rs1, int imm) { return word(i(imm, rs1, 0, rd, 0x1B)); }
    MiniAsm slti(int rd, int rs1, int imm) { return word(i(imm, rs1, 2, rd, 0x13)); }
    MiniAsm sltiu(int rd, int rs1, int imm) { return word(i(imm, rs1, 3, rd, 0x13)); }
    MiniAsm xori(int rd, int rs1, int imm) { return word(i(imm, rs1, 4, rd, 0x13)); }
    MiniAsm andi(int rd, int rs1, int imm) { return word(i(imm, rs1, 7, rd, 0x13)); }
    MiniAsm slli(int rd, int rs1, int sh) { return word(i(sh, rs1, 1, rd, 0x13)); }
    MiniAsm srli(int rd, int rs1, int sh) { return word(i(sh, rs1, 5, rd, 0x13)); }
    MiniAsm srai(int rd, int rs1, int sh) { return word(i(0x400 | sh, rs1, 5, rd, 0x13)); }
    MiniAsm add(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 0, rd, 0x33)); }
    MiniAsm sub(int rd, int rs1, int rs2) { return word(r(0x20, rs2, rs1, 0, rd, 0x33)); }
    MiniAsm sll(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 1, rd, 0x33)); }
    MiniAsm slt(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 2, rd, 0x33)); }
    MiniAsm sltu(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 3, rd, 0x33)); }
    MiniAsm xor(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 4, rd, 0x33)); }
    MiniAsm sra(int rd, int rs1, int rs2) { return word(r(0x20, rs2, rs1, 5, rd, 0x33)); }
    MiniAsm or(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 6, rd, 0x33)); }
    MiniAsm and(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 7, rd, 0x33)); }
    MiniAsm mul(int rd, int rs1, int rs2) { return word(r(1, rs2, rs1, 0, rd, 0x33)); }
    MiniAsm mulh(int rd, int rs1, int rs2) { return word(r(1, rs2, rs1, 1, rd, 0x33)); }
    MiniAsm divu(int rd, int rs1, int rs2) { return word(r(1, rs2, rs1, 5, rd, 0x33)); }
    MiniAsm rem(int rd, int rs1, int rs2) { return word(r(1, rs2, rs1, 6, rd, 0x33)); }
    MiniAsm addw(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 0, rd, 0x3B)); }
    MiniAsm sllw(int rd, int rs1, int rs2) { return word(r(0, rs2, rs1, 1, rd, 0x3B)); }
    MiniAsm sraw(int rd, int rs1, int rs2) { return word(r(0x20, rs2, rs1, 5, rd, 0x3B)); }
    MiniAsm mulw(int rd, int rs1, int rs2) { return word(r(1, rs2, rs1, 0, rd, 0x3B)); }
    MiniAsm sh1add(int rd, int rs1, int rs2) { return word(r(0x10, rs2, rs1, 2, rd, 0x33)); }
    MiniAsm lb(int rd, int rs1, int imm) { return word(i(imm, rs1, 0, rd, 0x03)); }
    MiniAsm lh(int rd, int rs1, int imm) { return word(i(imm, rs1, 1, rd, 0x03)); }
    MiniAsm lw(int rd, int rs1, int imm) { return word(i(imm, rs1, 2, rd, 0x03)); }
    MiniAsm ld(int rd, int rs1, int imm) { return word(i(imm, rs1, 3, rd, 0x03)); }
    MiniAsm lbu(int rd, int rs1, int imm) { return word(i(imm, rs1, 4, rd, 0x03)); }
    MiniAsm lhu(int rd, int rs1, int imm) { return word(i(imm, rs1, 5, rd, 0x03)); }
    MiniAsm lwu(int rd, int rs1, int imm) { return word(i(imm, rs1, 6, rd, 0x03)); }
    MiniAsm sb(int rs2, int rs1, int imm) { return word(s(imm, rs2, rs1, 0)); }
    MiniAsm sh(int rs2, int rs1, int imm) { return word(s(imm, rs2, rs1, 1)); }
    MiniAsm sw(int rs2, int rs1, int imm) { return word(s(imm, rs2, rs1, 2)); }
    MiniAsm sd(int rs2, int rs1, int imm) { return word(s(imm, rs2, rs1, 3)); }
    MiniAsm lui(int rd, int imm20) { return word(imm20 << 12 | rd << 7 | 0x37); }
    MiniAsm jalr(int rd, int rs1, int imm) { return word(i(imm, rs1, 0, rd, 0x67)); }
    MiniAsm ret() { return jalr(ZERO, RA, 0); }
    MiniAsm csrw(int csr, int rs1) { return word(i(csr, rs1, 1, 0, 0x73)); }
    MiniAsm csrr(int rd, int csr) { return word(i(csr, 0, 2, rd, 0x73)); }
    MiniAsm sret() { return word(0x10200073); }
    MiniAsm ecall() { return word(0x00000073); }
    MiniAsm fenceI() { return word(0x0000100F); }
    MiniAsm sfenceVma() { return word(0x12000073); }

    /** rd = a signed 32-bit constant. */
    MiniAsm li(int rd, int v) {
        int lo = (v << 20) >> 20;
        int hi = (v - lo) >>> 12;
        if (hi == 0) {
            return addi(rd, ZERO, lo);
        }
        lui(rd, hi & 0xFFFFF);
        return addiw(rd, rd, lo);
    }

    /** rd = the address of a label (auipc + addi). */
    MiniAsm la(int rd, String label) {
        int pos = at;
        word(0);
        word(0);
        fixups.add(() -> {
            int d = address(label) - pos;
            int lo = (d << 20) >> 20;
            int hi = (d - lo) >>> 12;
            put(pos, hi << 12 | rd << 7 | 0x17);
            put(pos + 4, i(lo, rd, 0, rd, 0x13));
        });
        return this;
    }

    private MiniAsm branch(int f3, int rs1, int rs2, String label) {
        int pos = at;
        word(0);
        fixups.add(() -> put(pos, b(address(label) - pos, rs2, rs1, f3)));
        return this;
    }

    MiniAsm beq(int rs1, int rs2, String l) { return branch(0, rs1, rs2, l); }
    MiniAsm bne(int rs1, int rs2, String l) { return branch(1, rs1, rs2, l); }
    MiniAsm blt(int rs1, int rs2, String l) { return branch(4, rs1, rs2, l); }
    MiniAsm bge(int rs1, int rs2, String l) { return branch(5, rs1, rs2, l); }
    MiniAsm bltu(int rs1, int rs2, String l) { return branch(6, rs1, rs2, l); }

    MiniAsm jal(int rd, String label) {
        int pos = at;
        word(0);
        fixups.add(() -> put(pos, j(address(label) - pos, rd)));
        return this;
    }

    private void put(int pos, int w) {
        image[pos] = (byte) w;
        image[pos + 1] = (byte) (w >>> 8);
        image[pos + 2] = (byte) (w >>> 16);
        image[pos + 3] = (byte) (w >>> 24);
    }

    // ---- SBI ----

    /** Legacy SBI console putchar of register rs (clobbers a0, a7). */
    MiniAsm putchar(int rs) {
        addi(A0, rs, 0);
        li(A7, 1);
        return ecall();
    }

    /** Legacy SBI shutdown. */
    MiniAsm shutdown() {
        li(A7, 8);
        return ecall();
    }
}
