/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Self-checking test of the atomics: A (LR/SC with a retry loop that must complete - Ziccrse,
 * AMOs .w/.d), Zabha (byte/halfword AMOs) and Zacas (amocas.w/d/q, amocas.b/h). binutils 2.40
 * lacks Zabha/Zacas, so those go through .insn r 0x2f, width, funct5 << 2 | aq/rl.
 */
#include "guest.h"

static volatile u64 word64 __attribute__((aligned(16)));
static volatile u64 pair[2] __attribute__((aligned(16)));
static volatile u32 word32;
static volatile u16 half[2];
static volatile u8 bytes[4];

#define AMO(f3, f7, rd, addr, rs2) \
    __asm__ volatile(".insn r 0x2f, " #f3 ", " #f7 ", %0, %1, %2" : "+r"(rd) : "r"(addr), "r"(rs2) : "memory")

int main(void)
{
    u64 old, v;
    puts("test-atomic: A\n");
    word64 = 40;
    __asm__ volatile("amoadd.d %0, %2, (%1)" : "=r"(old) : "r"(&word64), "r"(2UL) : "memory");
    check(old == 40 && word64 == 42, "amoadd.d");
    word32 = 0xfffffff0;
    __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(&word32), "r"(1UL) : "memory");
    check(old == 0xfffffffffffffff0UL && word32 == 0xfffffff1, "amoadd.w sign-extends the old value");
    __asm__ volatile("amoswap.w %0, %2, (%1)" : "=r"(old) : "r"(&word32), "r"(5UL) : "memory");
    check(word32 == 5, "amoswap.w");
    __asm__ volatile("amomax.w %0, %2, (%1)" : "=r"(old) : "r"(&word32), "r"(-3L) : "memory");
    check(word32 == 5, "amomax.w keeps the larger signed value");
    __asm__ volatile("amomaxu.w %0, %2, (%1)" : "=r"(old) : "r"(&word32), "r"(-3L) : "memory");
    check(word32 == 0xfffffffd, "amomaxu.w");
    __asm__ volatile("amoand.d %0, %2, (%1)" : "=r"(old) : "r"(&word64), "r"(0xfUL) : "memory");
    __asm__ volatile("amoor.d %0, %2, (%1)" : "=r"(old) : "r"(&word64), "r"(0x100UL) : "memory");
    __asm__ volatile("amoxor.d %0, %2, (%1)" : "=r"(old) : "r"(&word64), "r"(0x1UL) : "memory");
    check(word64 == 0x10b, "amoand/amoor/amoxor.d");
    {
        /* The classic retry loop: must succeed (RsrvEventual / Ziccrse). */
        u64 tries = 0, fail;
        word64 = 1;
        do {
            tries++;
            __asm__ volatile("lr.d %0, (%2)\n addi %0, %0, 1\n sc.d %1, %0, (%2)"
                             : "=&r"(v), "=&r"(fail) : "r"(&word64) : "memory");
        } while (fail && tries < 100);
        check(!fail && word64 == 2 && tries == 1, "lr.d/sc.d succeed at once");
        __asm__ volatile("lr.w %0, (%2)\n sw %0, 0(%2)\n li %0, 9\n sc.w %1, %0, (%2)"
                         : "=&r"(v), "=&r"(fail) : "r"(&word32) : "memory");
        check(fail == 0 || fail == 1, "sc.w after a store returns 0 or 1");
        __asm__ volatile("sc.w %0, %1, (%2)" : "=&r"(fail) : "r"(7UL), "r"(&word32) : "memory");
        check(fail == 1, "sc.w without a reservation fails");
    }
    puts("test-atomic: Zabha\n");
    bytes[0] = 0x7f;
    v = 1;
    AMO(0, 0x00, v, &bytes[0], 1UL); /* amoadd.b */
    check(v == 0x7f && bytes[0] == 0x80, "amoadd.b");
    v = 0;
    AMO(0, 0x00, v, &bytes[0], 0UL);
    check(v == 0xffffffffffffff80UL, "amoadd.b sign-extends the old byte");
    half[1] = 0x1234;
    v = 0;
    AMO(1, 0x04, v, &half[1], 0xbeefUL); /* amoswap.h */
    check(v == 0x1234 && half[1] == 0xbeef, "amoswap.h");
    bytes[1] = 0xf0; /* -16 */
    v = 0;
    AMO(0, 0x50, v, &bytes[1], 3UL); /* amomax.b */
    check(bytes[1] == 3, "amomax.b compares signed bytes");
    bytes[2] = 0xf0;
    v = 0;
    AMO(0, 0x70, v, &bytes[2], 3UL); /* amomaxu.b */
    check(bytes[2] == 0xf0, "amomaxu.b compares unsigned bytes");
    half[0] = 0x00ff;
    v = 0;
    AMO(1, 0x60, v, &half[0], 0x8000UL); /* amominu.h */
    check(half[0] == 0x00ff, "amominu.h");
    puts("test-atomic: Zacas\n");
    word32 = 100;
    v = 100;
    AMO(2, 0x14, v, &word32, 200UL); /* amocas.w hit */
    check(v == 100 && word32 == 200, "amocas.w swaps when equal");
    v = 5;
    AMO(2, 0x14, v, &word32, 300UL); /* amocas.w miss */
    check(v == 200 && word32 == 200, "amocas.w keeps memory when different");
    word64 = 0x1122334455667788UL;
    v = 0x1122334455667788UL;
    AMO(3, 0x14, v, &word64, 0x99UL); /* amocas.d */
    check(v == 0x1122334455667788UL && word64 == 0x99, "amocas.d");
    bytes[3] = 0x44;
    v = 0x44;
    AMO(0, 0x14, v, &bytes[3], 0x55UL); /* amocas.b */
    check(v == 0x44 && bytes[3] == 0x55, "amocas.b");
    half[0] = 0x8001;
    v = 0xffffffffffff8001UL;
    AMO(1, 0x14, v, &half[0], 0x1UL); /* amocas.h compares sign-extended halfwords */
    check(half[0] == 1, "amocas.h");
    {
        pair[0] = 1;
        pair[1] = 2;
        register u64 c0 __asm__("a2") = 1;
        register u64 c1 __asm__("a3") = 2;
        register u64 n0 __asm__("a4") = 3;
        register u64 n1 __asm__("a5") = 4;
        __asm__ volatile(".insn r 0x2f, 4, 0x14, a2, %2, a4" : "+r"(c0), "+r"(c1) : "r"(pair), "r"(n0), "r"(n1) : "memory");
        check(c0 == 1 && c1 == 2 && pair[0] == 3 && pair[1] == 4, "amocas.q on a register pair");
    }
    return failures();
}
