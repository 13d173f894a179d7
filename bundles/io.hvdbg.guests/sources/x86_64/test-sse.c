/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * SSE/SSE2 arithmetic as 64-bit gcc code uses it (built with SSE enabled, -fno-math-errno):
 * scalar double and float arithmetic (ADDSD .. SQRTSD, the SS forms), conversions (CVTSI2SD/SS,
 * CVT(T)SD2SI, CVTSS2SD, CVTSD2SS), UCOMISD/COMISD, ANDPD/XORPD sign tricks, MIN/MAX, and
 * packed forms through gcc vector types and builtins: ADDPD/MULPS, PADDQ/PSUBQ/PADDD/PADDW/PADDB,
 * PAND/POR/PXOR, PCMPEQD, PMOVMSKB, PSHUFD, PSRLDQ/PSLLQ/PSRAD, CMPLTPD, SHUFPD, UNPCKLPD,
 * MOVMSKPD, CVTDQ2PD, CVTTPD2DQ. Operands are exact, so results are bit-identical everywhere.
 */
#include "lib.h"

typedef double v2df __attribute__((vector_size(16)));
typedef float v4sf __attribute__((vector_size(16)));
typedef long long v2di __attribute__((vector_size(16)));
typedef int v4si __attribute__((vector_size(16)));
typedef short v8hi __attribute__((vector_size(16)));
typedef char v16qi __attribute__((vector_size(16)));

static volatile double va = 1.5, vb = 2.25, vc = -3.0, vz = 0.0, v2 = 2.0, v3 = 3.0, vhalf = 2.5;
static volatile float fa = 0.75f, fb = 4.0f;
static volatile int ia = 7;
static volatile long long lla = -1234567890123LL;
static volatile v2df pd1 = {1.5, 2.0}, pd2 = {0.5, 4.0};
static volatile v4sf ps1 = {1.0f, 2.0f, 3.0f, 4.0f}, ps2 = {2.0f, 2.0f, 0.5f, -1.0f};
static volatile v2di q1 = {1LL << 40, -1}, q2 = {1, 1};
static volatile v4si d1 = {1, 2, 3, 4}, d2 = {1, 0, 3, -4};
static volatile v8hi w1 = {32767, 1, 2, 3, 4, 5, 6, 7}, w2 = {1, 1, 1, 1, 1, 1, 1, 1};
static volatile v16qi b1 = {(char)250, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, (char)0x80};
static volatile v16qi b2 = {10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

static u64 bits(double x)
{
    union {
        double d;
        u64 u;
    } v = {.d = x};
    return v.u;
}

static __attribute__((noinline)) void scalar(void)
{
    CHECK(va + vb == 3.75);
    CHECK(va * vb == 3.375);
    CHECK(vb - va == 0.75);
    CHECK(v3 / va == 2.0);
    CHECK_EQ(bits(1.0 / v3), 0x3fd5555555555555ULL);
    CHECK_EQ(bits(__builtin_sqrt(v2)), 0x3ff6a09e667f3bcdULL);
    CHECK(__builtin_fabs(vc) == 3.0);
    CHECK(-vc == 3.0);
    CHECK(fa * fb == 3.0f);
    CHECK(fb / fa - 5.0f < 0.34f && fb / fa > 5.33f);
    CHECK(fa + fb == 4.75f);
    CHECK((double)fa == 0.75);
    CHECK((float)va == 1.5f);
    CHECK((double)ia == 7.0);
    CHECK((double)lla == -1234567890123.0);
    CHECK((float)ia == 7.0f);
    CHECK_EQ((int)(vb * 3), 6);
    CHECK_EQ((int)vc, -3);
    CHECK_EQ((long long)(vc * 1e12), -3000000000000LL);
    CHECK_EQ((int)fb, 4);
    CHECK_EQ(__builtin_lrint(vhalf), 2);
    CHECK_EQ(__builtin_lrint(3.5 + vz), 4);
    CHECK(va < vb);
    CHECK(!(vb < va));
    CHECK(vc <= va);
    volatile double nan = vz / vz;
    CHECK(!(nan == nan));
    CHECK(!(nan < va) && !(nan > va));
    CHECK_EQ(bits(nan), 0xfff8000000000000ULL); /* the default NaN of an invalid operation */
    double m = va < vb ? va : vb;
    double x = va > vb ? va : vb;
    CHECK(m == 1.5 && x == 2.25);
    CHECK(1.0 / vz > 1e308);
}

static __attribute__((noinline)) void packed(void)
{
    v2df p = pd1 + pd2;
    CHECK(p[0] == 2.0 && p[1] == 6.0);
    p = pd1 * pd2;
    CHECK(p[0] == 0.75 && p[1] == 8.0);
    p = pd1 / pd2;
    CHECK(p[0] == 3.0 && p[1] == 0.5);
    v4sf f = ps1 * ps2;
    CHECK(f[0] == 2.0f && f[1] == 4.0f && f[2] == 1.5f && f[3] == -4.0f);
    f = ps1 - ps2;
    CHECK(f[0] == -1.0f && f[3] == 5.0f);

    v2di q = q1 + q2;
    CHECK_EQ(q[0], (1LL << 40) + 1);
    CHECK_EQ(q[1], 0);
    q = q1 - q2;
    CHECK_EQ(q[1], -2);
    v4si d = d1 + d2;
    CHECK(d[0] == 2 && d[1] == 2 && d[2] == 6 && d[3] == 0);
    v4si eq = d1 == d2;
    CHECK(eq[0] == -1 && eq[1] == 0 && eq[2] == -1 && eq[3] == 0);
    v4si l = (d1 & d2) | (d1 ^ d2);
    CHECK(l[0] == 1 && l[3] == (4 | -4));
    v8hi w = w1 + w2;
    CHECK_EQ((u16)w[0], 0x8000);
    v16qi b = b1 + b2;
    CHECK_EQ((u8)b[0], 4);
    CHECK_EQ((u8)b[15], 0x81);
    CHECK_EQ(__builtin_ia32_pmovmskb128(b1), 0x8001);
    v4si s = __builtin_ia32_pshufd(d1, 0x1b);
    CHECK(s[0] == 4 && s[1] == 3 && s[2] == 2 && s[3] == 1);
    v2di sh = __builtin_ia32_psrldqi128(q1, 64);
    CHECK_EQ(sh[0], -1);
    CHECK_EQ(sh[1], 0);
    sh = __builtin_ia32_psllqi128(q2, 4);
    CHECK_EQ(sh[0], 16);
    v4si sa = __builtin_ia32_psradi128(d2, 1);
    CHECK(sa[3] == -2 && sa[2] == 1);

    v2df lt = __builtin_ia32_cmpltpd(pd1, pd2);
    CHECK_EQ(bits(lt[0]), 0);
    CHECK_EQ(bits(lt[1]), ~0ULL);
    CHECK_EQ(__builtin_ia32_movmskpd((v2df){-1.0, 2.0} + pd1 * 0), 1);
    v2df shuf = __builtin_ia32_shufpd(pd1, pd2, 1);
    CHECK(shuf[0] == 2.0 && shuf[1] == 0.5);
    v2df un = __builtin_ia32_unpcklpd(pd1, pd2);
    CHECK(un[0] == 1.5 && un[1] == 0.5);
    v2df cd = __builtin_ia32_cvtdq2pd(d2);
    CHECK(cd[0] == 1.0 && cd[1] == 0.0);
    v4si ct = __builtin_ia32_cvttpd2dq((v2df){-2.75, 7.5} + pd1 * 0);
    CHECK(ct[0] == -2 && ct[1] == 7 && ct[2] == 0);
}

int main(void)
{
    write_cr4(read_cr4() | 0x600); /* OSFXSR | OSXMMEXCPT: SSE code may run from here on */
    scalar();
    packed();
    puts("sse: scalar and packed arithmetic done\n");
    report_and_exit("sse");
}
