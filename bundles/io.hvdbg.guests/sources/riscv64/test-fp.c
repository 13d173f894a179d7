/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Self-checking test of F and D: arithmetic, fused multiply-add, conversions, comparisons,
 * classification, sign injection, NaN boxing, fflags.
 */
#include "guest.h"

static volatile double d3 = 3.0, d4 = 4.0, dm = -2.5, dz = 0.0;
static volatile float f3 = 3.0f, f4 = 4.0f, fm = -2.5f;

#define FOP_D(insn, a, b) ({ double __r; __asm__ volatile(insn " %0, %1, %2" : "=f"(__r) : "f"(a), "f"(b)); __r; })
#define FOP_S(insn, a, b) ({ float __r; __asm__ volatile(insn " %0, %1, %2" : "=f"(__r) : "f"(a), "f"(b)); __r; })

int main(void)
{
    double a = d3, b = d4, m = dm, z = dz;
    float fa = f3, fb = f4, fmv = fm;
    u64 x;
    puts("test-fp: D\n");
    check(FOP_D("fadd.d", a, b) == 7.0 && FOP_D("fsub.d", a, b) == -1.0, "fadd.d/fsub.d");
    check(FOP_D("fmul.d", a, m) == -7.5 && FOP_D("fdiv.d", a, b) == 0.75, "fmul.d/fdiv.d");
    {
        double r;
        __asm__ volatile("fsqrt.d %0, %1" : "=f"(r) : "f"(b));
        check(r == 2.0, "fsqrt.d");
        __asm__ volatile("fmadd.d %0, %1, %2, %3" : "=f"(r) : "f"(a), "f"(b), "f"(m));
        check(r == 9.5, "fmadd.d");
        __asm__ volatile("fnmsub.d %0, %1, %2, %3" : "=f"(r) : "f"(a), "f"(b), "f"(m));
        check(r == -14.5, "fnmsub.d");
    }
    check(FOP_D("fmin.d", a, m) == -2.5 && FOP_D("fmax.d", a, m) == 3.0, "fmin.d/fmax.d");
    check(FOP_D("fsgnjn.d", a, a) == -3.0 && FOP_D("fsgnjx.d", m, m) == 2.5, "fsgnjn.d/fsgnjx.d");
    __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(x) : "f"(m));
    check((s64)x == -2, "fcvt.l.d rtz");
    __asm__ volatile("fcvt.l.d %0, %1, rdn" : "=r"(x) : "f"(m));
    check((s64)x == -3, "fcvt.l.d rdn");
    __asm__ volatile("fcvt.w.d %0, %1, rne" : "=r"(x) : "f"(m));
    check((s64)x == -2, "fcvt.w.d rne (ties to even)");
    __asm__ volatile("fcvt.wu.d %0, %1, rtz" : "=r"(x) : "f"(m));
    check(x == 0, "fcvt.wu.d of a negative value saturates to 0");
    {
        double r;
        __asm__ volatile("fcvt.d.l %0, %1" : "=f"(r) : "r"(-7L));
        check(r == -7.0, "fcvt.d.l");
    }
    __asm__ volatile("feq.d %0, %1, %2" : "=r"(x) : "f"(a), "f"(a));
    check(x == 1, "feq.d");
    __asm__ volatile("flt.d %0, %1, %2" : "=r"(x) : "f"(m), "f"(a));
    check(x == 1, "flt.d");
    __asm__ volatile("fclass.d %0, %1" : "=r"(x) : "f"(m));
    check(x == (1 << 1), "fclass.d negative normal");
    __asm__ volatile("fclass.d %0, %1" : "=r"(x) : "f"(z));
    check(x == (1 << 4), "fclass.d +0");
    csr_write(fflags, 0);
    {
        double r;
        __asm__ volatile("fdiv.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(z));
        check(csr_read(fflags) & 8, "division by zero sets fflags.DZ");
    }
    puts("test-fp: F\n");
    check(FOP_S("fadd.s", fa, fb) == 7.0f && FOP_S("fmul.s", fa, fmv) == -7.5f, "fadd.s/fmul.s");
    {
        u64 bits;
        __asm__ volatile("fmv.x.d %0, %1" : "=r"(bits) : "f"(fa));
        check((bits >> 32) == 0xffffffffUL, "single results are NaN-boxed");
        float r;
        __asm__ volatile("fmv.d.x %0, %1\n fadd.s %0, %0, %0" : "=&f"(r) : "r"(0x40400000UL));
        __asm__ volatile("fmv.x.w %0, %1" : "=r"(bits) : "f"(r));
        check(bits == 0x7fc00000UL, "an unboxed single reads as the canonical NaN");
        double dd;
        __asm__ volatile("fcvt.d.s %0, %1" : "=f"(dd) : "f"(fmv));
        check(dd == -2.5, "fcvt.d.s");
        __asm__ volatile("fcvt.w.s %0, %1, rtz" : "=r"(x) : "f"(fa));
        check(x == 3, "fcvt.w.s");
    }
    return failures();
}
