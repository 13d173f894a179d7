/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Self-checking test of the integer instruction groups: RV64I, M, C (the compiler uses it
 * throughout), Zba, Zbb, Zbs. Each instruction runs through inline asm on values the compiler
 * cannot fold; expected values come from plain C loops.
 */
#include "guest.h"

#define OP2(insn, a, b) ({ u64 __r; __asm__ volatile(insn " %0, %1, %2" : "=r"(__r) : "r"(a), "r"(b)); __r; })
#define OP1(insn, a) ({ u64 __r; __asm__ volatile(insn " %0, %1" : "=r"(__r) : "r"(a)); __r; })
#define OPI(insn, a, imm) ({ u64 __r; __asm__ volatile(insn " %0, %1, " #imm : "=r"(__r) : "r"(a)); __r; })

static volatile u64 va = 0x8000000000000001UL, vb = 0x0123456789abcdefUL, vc = 7, vneg = (u64)-13, vzero = 0;

static int clz_ref(u64 x) { int n = 0; for (int i = 63; i >= 0 && !((x >> i) & 1); i--) n++; return n; }
static int ctz_ref(u64 x) { int n = 0; for (int i = 0; i < 64 && !((x >> i) & 1); i++) n++; return n; }
static int cpop_ref(u64 x) { int n = 0; for (int i = 0; i < 64; i++) n += (x >> i) & 1; return n; }

static u32 code_buf[4] __attribute__((aligned(16)));

static u64 call_code(void)
{
    u64 r;
    __asm__ volatile("fence.i\n jalr ra, 0(%1)\n mv %0, a0" : "=r"(r) : "r"(code_buf) : "ra", "a0", "memory");
    return r;
}

int main(void)
{
    u64 a = va, b = vb, c = vc, n = vneg, z = vzero;
    puts("test-int: RV64I\n");
    check(OP2("add", a, b) == a + b, "add");
    check(OP2("sub", b, a) == b - a, "sub");
    check(OP2("sll", b, c) == b << 7, "sll");
    check(OP2("srl", a, c) == a >> 7, "srl");
    check(OP2("sra", a, c) == (u64)((s64)a >> 7), "sra");
    check(OP2("slt", n, c) == 1 && OP2("sltu", n, c) == 0, "slt/sltu");
    check(OP2("addw", b, b) == (u64)(s64)(s32)(b + b), "addw sign-extends");
    check(OP2("subw", z, c) == (u64)-7, "subw");
    check(OP2("sllw", b, c) == (u64)(s64)(s32)((u32)b << 7), "sllw");
    check(OP2("srlw", n, c) == (u64)(s64)(s32)((u32)n >> 7), "srlw");
    check(OP2("sraw", n, c) == (u64)(s64)((s32)n >> 7), "sraw");
    check(OPI("addiw", b, -1) == (u64)(s64)(s32)(b - 1), "addiw");
    check(OPI("srai", n, 1) == (u64)-7, "srai");
    check(OPI("xori", b, -1) == ~b, "xori");
    {
        u64 t;
        __asm__ volatile("auipc %0, 0" : "=r"(t));
        check((t >> 20) == 0x802, "auipc");
        __asm__ volatile("lui %0, 0xfffff" : "=r"(t));
        check(t == 0xfffffffffffff000UL, "lui sign-extends");
    }
    {
        static volatile u8 buf[16] = {0x80, 0x7f, 0xff, 0xff, 1, 2, 3, 4, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
        s64 x;
        u64 y;
        __asm__ volatile("lb %0, 0(%1)" : "=r"(x) : "r"(buf));
        __asm__ volatile("lbu %0, 0(%1)" : "=r"(y) : "r"(buf));
        check(x == -128 && y == 0x80, "lb/lbu");
        __asm__ volatile("lh %0, 2(%1)" : "=r"(x) : "r"(buf));
        __asm__ volatile("lhu %0, 2(%1)" : "=r"(y) : "r"(buf));
        check(x == -1 && y == 0xffff, "lh/lhu");
        __asm__ volatile("lw %0, 12(%1)" : "=r"(x) : "r"(buf));
        __asm__ volatile("lwu %0, 12(%1)" : "=r"(y) : "r"(buf));
        check(x == (s64)(s32)0xffeeddcc && y == 0xffeeddcc, "lw/lwu");
        __asm__ volatile("ld %0, 1(%1)" : "=r"(y) : "r"(buf));
        check(y == 0x8804030201ffff7fUL, "misaligned ld");
        __asm__ volatile("sh %0, 6(%1)" :: "r"(0x1234), "r"(buf) : "memory");
        check(buf[6] == 0x34 && buf[7] == 0x12, "sh");
    }
    puts("test-int: self-modifying code\n");
    code_buf[0] = 0x00500513; /* li a0, 5 */
    code_buf[1] = 0x00008067; /* ret */
    check(call_code() == 5, "generated code runs");
    code_buf[0] = 0x00700513; /* li a0, 7 */
    check(call_code() == 7, "rewritten code runs after fence.i (decode cache invalidated)");
    puts("test-int: M\n");
    check(OP2("mul", b, n) == b * n, "mul");
    check(OP2("mulh", n, b) == (u64)(((__int128)(s64)n * (__int128)(s64)b) >> 64), "mulh");
    check(OP2("mulhu", a, b) == (u64)(((unsigned __int128)a * b) >> 64), "mulhu");
    check(OP2("mulhsu", n, b) == (u64)(((__int128)(s64)n * (__int128)b) >> 64), "mulhsu");
    check(OP2("div", n, c) == (u64)-1 && OP2("rem", n, c) == (u64)-6, "div/rem round towards zero");
    check(OP2("divu", b, c) == b / 7 && OP2("remu", b, c) == b % 7, "divu/remu");
    check(OP2("div", b, z) == (u64)-1 && OP2("rem", b, z) == b, "division by zero");
    check(OP2("div", 0x8000000000000000UL, n | 0xffffffffffffffffUL) == 0x8000000000000000UL, "div overflow");
    check(OP2("mulw", b, c) == (u64)(s64)(s32)((u32)b * 7), "mulw");
    check(OP2("divw", n, c) == (u64)-1 && OP2("remuw", n, c) == (u64)(s64)(s32)((u32)n % 7), "divw/remuw");
    puts("test-int: Zba\n");
    check(OP2("sh1add", c, b) == b + 14 && OP2("sh2add", c, b) == b + 28 && OP2("sh3add", c, b) == b + 56, "shNadd");
    check(OP2("add.uw", n, z) == 0xfffffff3UL, "add.uw");
    check(OP2("sh3add.uw", n, z) == 0xfffffff3UL << 3, "sh3add.uw");
    check(OPI("slli.uw", n, 4) == 0xfffffff3UL << 4, "slli.uw");
    puts("test-int: Zbb\n");
    check(OP1("clz", b) == (u64)clz_ref(b) && OP1("clz", z) == 64, "clz");
    check(OP1("ctz", a) == 0 && OP1("ctz", 0x100UL | z) == (u64)ctz_ref(0x100), "ctz");
    check(OP1("cpop", b) == (u64)cpop_ref(b), "cpop");
    check(OP1("clzw", c) == 29 && OP1("ctzw", z) == 32 && OP1("cpopw", n) == 30, "clzw/ctzw/cpopw");
    check(OP2("andn", b, c) == (b & ~7UL) && OP2("orn", z, c) == ~7UL && OP2("xnor", b, b) == ~0UL, "andn/orn/xnor");
    check(OP2("min", n, c) == n && OP2("minu", n, c) == c && OP2("max", n, c) == c && OP2("maxu", n, c) == n, "min/max");
    check(OP1("sext.b", 0x80UL | z) == (u64)-128 && OP1("sext.h", 0x8000UL | z) == (u64)-32768, "sext.b/h");
    check(OP1("zext.h", n) == 0xfff3, "zext.h");
    check(OP2("rol", b, c) == ((b << 7) | (b >> 57)) && OP2("ror", b, c) == ((b >> 7) | (b << 57)), "rol/ror");
    check(OPI("rori", b, 8) == ((b >> 8) | (b << 56)), "rori");
    check(OP2("rolw", b, c) == (u64)(s64)(s32)(((u32)b << 7) | ((u32)b >> 25)), "rolw");
    check(OP1("orc.b", 0x0100200000000080UL | z) == 0xff00ff00000000ffUL, "orc.b");
    check(OP1("rev8", b) == 0xefcdab8967452301UL, "rev8");
    puts("test-int: Zbs\n");
    check(OP2("bset", z, c) == 0x80 && OPI("bseti", z, 63) == 0x8000000000000000UL, "bset/bseti");
    check(OP2("bclr", n, z) == (n & ~1UL) && OPI("bclri", a, 63) == 1, "bclr/bclri");
    check(OP2("binv", b, c) == (b ^ 0x80) && OPI("binvi", b, 0) == (b ^ 1), "binv/binvi");
    check(OP2("bext", b, c) == ((b >> 7) & 1) && OPI("bexti", a, 63) == 1, "bext/bexti");
    return failures();
}
