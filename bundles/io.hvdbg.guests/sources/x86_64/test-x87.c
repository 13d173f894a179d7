/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * x87 basics as 32-bit gcc code uses them (built with -mfpmath=387, no SSE): loads and stores of
 * m32/m64/m80 reals and m16/m32/m64 integers, the arithmetic forms and their reversed/popping
 * variants, comparisons (FCOMI/FUCOMI and FCOM with FNSTSW AX), conversions with the rounding
 * control (FNSTCW/FLDCW), FXCH, FCHS, FABS, FSQRT, FRNDINT, FSCALE, constants, masked
 * exceptions (ZE, IE) and a balanced stack. Operands are exact in double precision, so results
 * do not depend on the 64-bit extended mantissa.
 */
#include "lib.h"

static volatile double va = 1.5, vb = 2.25, vc = -3.0, vz = 0.0, v2 = 2.0, v3 = 3.0, vhalf = 2.5;
static volatile float fa = 0.75f;
static volatile long double lda = 1.25L;
static volatile int ia = 7;
static volatile short sa = -300;
static volatile long long ll = 1234567890123LL;

static u64 bits(double x)
{
    union {
        double d;
        u64 u;
    } v = {.d = x};
    return v.u;
}

static u16 fnstsw(void)
{
    u16 sw;
    __asm__ volatile("fnstsw %0" : "=a"(sw));
    return sw;
}

static int fist_rounded(double x)
{
    int r;
    __asm__ volatile("fldl %1\n fistpl %0" : "=m"(r) : "m"(x));
    return r;
}

int main(void)
{
    __asm__ volatile("fninit");
    CHECK_EQ(fnstsw() & 0x3800, 0);

    /* arithmetic on m64 operands and registers */
    CHECK(va + vb == 3.75);
    CHECK(va * vb == 3.375);
    CHECK(vb - va == 0.75);
    CHECK(va - vb == -0.75);
    CHECK(v3 / va == 2.0);
    CHECK(va / v3 == 0.5);
    CHECK_EQ(bits(1.0 / v3), 0x3fd5555555555555ULL);
    CHECK_EQ(bits(__builtin_sqrt(v2)), 0x3ff6a09e667f3bcdULL);
    CHECK(-vc == 3.0);
    CHECK(__builtin_fabs(vc) == 3.0);

    /* m32 and m80 reals */
    CHECK(fa * 2 == 1.5f);
    CHECK((double)fa == 0.75);
    long double l4 = lda * 4;
    CHECK((double)l4 == 5.0);
    volatile long double stored = l4;
    CHECK((double)(stored + lda) == 6.25);

    /* integers: FILD m16/m32/m64, truncating conversions through FNSTCW/FLDCW and FISTP */
    CHECK((double)ia == 7.0);
    CHECK((double)sa == -300.0);
    CHECK_EQ((long long)(double)ll, 1234567890123LL);
    CHECK_EQ((int)(vb * 3), 6);
    CHECK_EQ((int)vc, -3);
    CHECK_EQ((int)(-vb), -2);

    /* FIST with the default round-to-nearest-even */
    CHECK_EQ(fist_rounded(vhalf), 2);
    CHECK_EQ(fist_rounded(3.5), 4);
    CHECK_EQ(fist_rounded(-2.5), -2);

    /* comparisons as gcc emits them (FUCOMIP/FCOMIP) */
    CHECK(va < vb);
    CHECK(!(vb < va));
    CHECK(va != vb);
    CHECK(vc <= va);
    volatile double nan = vz / vz;
    CHECK(!(nan == nan));
    CHECK(!(nan < va) && !(nan > va));

    /* FCOM + FNSTSW AX: C0 for less, C3 for equal */
    u16 sw;
    __asm__ volatile("fldl %1\n fldl %2\n fcompp\n fnstsw %0" : "=a"(sw) : "m"(vb), "m"(va));
    CHECK_EQ(sw & 0x4500, 0x0100); /* va < vb */
    __asm__ volatile("fldl %1\n fldl %1\n fcompp\n fnstsw %0" : "=a"(sw) : "m"(va));
    CHECK_EQ(sw & 0x4500, 0x4000);

    /* FLDZ, FLD1, FLDPI, FXCH, FCHS, FABS, FRNDINT, FSCALE in registers */
    double r;
    __asm__ volatile("fldz\n fld1\n fxch\n fstpl %0\n fstp %%st(0)" : "=m"(r));
    CHECK(r == 0.0);
    __asm__ volatile("fld1\n fchs\n fabs\n fadd %%st(0), %%st(0)\n fstpl %0" : "=m"(r));
    CHECK(r == 2.0);
    __asm__ volatile("fldpi\n fstpl %0" : "=m"(r));
    CHECK_EQ(bits(r), 0x400921fb54442d18ULL);
    __asm__ volatile("fldl %1\n frndint\n fstpl %0" : "=m"(r) : "m"(va));
    CHECK(r == 2.0);
    __asm__ volatile("fldl %2\n fldl %1\n fscale\n fstp %%st(1)\n fstpl %0" : "=m"(r) : "m"(v3), "m"(v2));
    CHECK(r == 12.0); /* ST(0) 3 scaled by ST(1) 2: 3 * 2^2 */
    __asm__ volatile("fldl %1\n fldl %2\n fsubrp\n fstpl %0" : "=m"(r) : "m"(va), "m"(vb));
    CHECK(r == -0.75); /* AT&T fsubrp is FSUBP (DE E9): ST(1) = ST(1) - ST(0) = 1.5 - 2.25 */
    __asm__ volatile("fldl %1\n fldl %2\n fdivrp\n fstpl %0" : "=m"(r) : "m"(v3), "m"(va));
    CHECK(r == 2.0); /* AT&T fdivrp is FDIVP (DE F9): ST(1) = ST(1) / ST(0) = 3 / 1.5 */
    __asm__ volatile("fldl %1\n fldl %2\n fdivp\n fstpl %0" : "=m"(r) : "m"(v3), "m"(va));
    CHECK(r == 0.5); /* AT&T fdivp is FDIVRP (DE F1): ST(1) = ST(0) / ST(1) = 1.5 / 3 */

    /* masked exceptions: divide by zero (ZE) and invalid (IE) */
    __asm__ volatile("fnclex");
    volatile double inf = 1.0 / vz;
    CHECK(inf > 1e308);
    CHECK_EQ(fnstsw() & 0x04, 0x04);
    __asm__ volatile("fnclex");
    volatile double bad = __builtin_sqrt(vc);
    CHECK(bad != bad);
    CHECK_EQ(fnstsw() & 0x01, 0x01);
    __asm__ volatile("fnclex");

    /* the control word round-trips; the stack is balanced */
    u16 cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    CHECK_EQ(cw, 0x037f);
    CHECK_EQ(fnstsw() & 0x3800, 0);
    puts("x87: arithmetic, conversions and compares done\n");
    report_and_exit("x87");
}
