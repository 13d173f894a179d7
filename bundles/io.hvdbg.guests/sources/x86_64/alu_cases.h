/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Instruction-group cases shared by the host generator (gen-expected.c, run natively on the
 * build machine's CPU) and the guests (test-alu*.c): every case runs one instruction with
 * given inputs and incoming flags and folds the result and the architecturally defined
 * flags into a checksum per (operation, operand size). The host's checksums become the
 * guests' expected values, so the reference is real hardware.
 */
#ifndef HVDBG_ALU_CASES_H
#define HVDBG_ALU_CASES_H

typedef unsigned long long u64c;
typedef unsigned long ulongc;

#define F_CF 0x001UL
#define F_PF 0x004UL
#define F_AF 0x010UL
#define F_ZF 0x040UL
#define F_SF 0x080UL
#define F_OF 0x800UL
#define F_ALL (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

static const u64c alu_values[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffffULL, 0x80000000ULL, 0xffffffffULL,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL, 0x123456789abcdef0ULL, 0x0f1e2d3c4b5a6978ULL,
};
#define N_VALUES (sizeof(alu_values) / sizeof(alu_values[0]))
static const ulongc flag_inputs[] = {0x2, 0x2 | F_ALL};

struct alu_out {
    u64c res;
    u64c res2;
    ulongc flags;
};

/* Binary operation "insn src, dst" with dst = a, src = b; flags in from fin. */
#define BIN(fn, insn, T, C)                                                                      \
    static void fn(u64c a, u64c b, ulongc fin, struct alu_out *o)                                \
    {                                                                                            \
        T x = (T)a;                                                                              \
        ulongc fl;                                                                               \
        __asm__ volatile("push %[fi]\n popf\n " insn " %[y], %[x]\n pushf\n pop %[fl]"           \
                         : [x] "+" C(x), [fl] "=&r"(fl) : [y] C((T)b), [fi] "r"(fin) : "cc");      \
        o->res = (u64c)x;                                                                        \
        o->flags = fl;                                                                           \
    }

/* Unary operation "insn dst". */
#define UN(fn, insn, T, C)                                                                       \
    static void fn(u64c a, u64c b, ulongc fin, struct alu_out *o)                                \
    {                                                                                            \
        (void)b;                                                                                 \
        T x = (T)a;                                                                              \
        ulongc fl;                                                                               \
        __asm__ volatile("push %[fi]\n popf\n " insn " %[x]\n pushf\n pop %[fl]"                 \
                         : [x] "+" C(x), [fl] "=&r"(fl) : [fi] "r"(fin) : "cc");                  \
        o->res = (u64c)x;                                                                        \
        o->flags = fl;                                                                           \
    }

/* Shift/rotate by CL = b. */
#define SH(fn, insn, T, C)                                                                       \
    static void fn(u64c a, u64c b, ulongc fin, struct alu_out *o)                                \
    {                                                                                            \
        T x = (T)a;                                                                              \
        ulongc fl;                                                                               \
        __asm__ volatile("push %[fi]\n popf\n " insn " %%cl, %[x]\n pushf\n pop %[fl]"           \
                         : [x] "+" C(x), [fl] "=&r"(fl) : "c"((unsigned char)b), [fi] "r"(fin) : "cc"); \
        o->res = (u64c)x;                                                                        \
        o->flags = fl;                                                                           \
    }

/* Double shift "insn %cl, src, dst" with dst = a, src = a rotated (a second operand). */
#define DSH(fn, insn, T)                                                                         \
    static void fn(u64c a, u64c b, ulongc fin, struct alu_out *o)                                \
    {                                                                                            \
        T x = (T)a, y = (T)~a ^ (T)0x5a5a5a5a5a5a5a5aULL;                                         \
        ulongc fl;                                                                               \
        __asm__ volatile("push %[fi]\n popf\n " insn " %%cl, %[y], %[x]\n pushf\n pop %[fl]"     \
                         : [x] "+r"(x), [fl] "=&r"(fl) : [y] "r"(y), "c"((unsigned char)b), [fi] "r"(fin) : "cc"); \
        o->res = (u64c)x;                                                                        \
        o->flags = fl;                                                                           \
    }

/* One-operand multiply/divide on the accumulator pair: "insn src" with AX/DX:AX = a, DX = hi. */
#define MULDIV(fn, insn, T, C)                                                                   \
    static void fn(u64c a, u64c b, ulongc fin, struct alu_out *o)                                \
    {                                                                                            \
        T lo = (T)a, hi = 0, src = (T)b;                                                         \
        ulongc fl;                                                                               \
        __asm__ volatile("push %[fi]\n popf\n " insn " %[s]\n pushf\n pop %[fl]"                 \
                         : "+a"(lo), "+d"(hi), [fl] "=&r"(fl) : [s] C(src), [fi] "r"(fin) : "cc"); \
        o->res = (u64c)lo;                                                                       \
        o->res2 = (u64c)hi;                                                                      \
        o->flags = fl;                                                                           \
    }

/* 8-bit multiply/divide use AX only. */
#define MULDIV8(fn, insn)                                                                        \
    static void fn(u64c a, u64c b, ulongc fin, struct alu_out *o)                                \
    {                                                                                            \
        unsigned short ax = (unsigned short)a;                                                   \
        unsigned char src = (unsigned char)b;                                                    \
        ulongc fl;                                                                               \
        __asm__ volatile("push %[fi]\n popf\n " insn " %[s]\n pushf\n pop %[fl]"                 \
                         : "+a"(ax), [fl] "=&r"(fl) : [s] "q"(src), [fi] "r"(fin) : "cc");         \
        o->res = ax;                                                                             \
        o->flags = fl;                                                                           \
    }

#define SIZES(M, name, insn, C8)                                                                 \
    M(name##8, insn "b", unsigned char, C8)                                                      \
    M(name##16, insn "w", unsigned short, "r")                                                   \
    M(name##32, insn "l", unsigned int, "r")                                                     \
    M64(M, name##64, insn "q")

#ifdef __x86_64__
#define M64(M, fn, insn) M(fn, insn, u64c, "r")
#else
#define M64(M, fn, insn)
#endif

SIZES(BIN, add, "add", "q")
SIZES(BIN, adc, "adc", "q")
SIZES(BIN, sub, "sub", "q")
SIZES(BIN, sbb, "sbb", "q")
SIZES(BIN, and, "and", "q")
SIZES(BIN, or, "or", "q")
SIZES(BIN, xor, "xor", "q")
SIZES(BIN, cmp, "cmp", "q")
SIZES(BIN, test, "test", "q")
SIZES(BIN, xadd, "xadd", "q")
SIZES(UN, inc, "inc", "q")
SIZES(UN, dec, "dec", "q")
SIZES(UN, neg, "neg", "q")
SIZES(UN, not, "not", "q")
SIZES(SH, shl, "shl", "q")
SIZES(SH, shr, "shr", "q")
SIZES(SH, sar, "sar", "q")
SIZES(SH, rol, "rol", "q")
SIZES(SH, ror, "ror", "q")
SIZES(SH, rcl, "rcl", "q")
SIZES(SH, rcr, "rcr", "q")
DSH(shld16, "shldw", unsigned short)
DSH(shld32, "shldl", unsigned int)
DSH(shrd16, "shrdw", unsigned short)
DSH(shrd32, "shrdl", unsigned int)
BIN(bt16, "btw", unsigned short, "r")
BIN(bt32, "btl", unsigned int, "r")
BIN(bts16, "btsw", unsigned short, "r")
BIN(bts32, "btsl", unsigned int, "r")
BIN(btr32, "btrl", unsigned int, "r")
BIN(btc32, "btcl", unsigned int, "r")
BIN(bsf16, "bsfw", unsigned short, "r")
BIN(bsf32, "bsfl", unsigned int, "r")
BIN(bsr16, "bsrw", unsigned short, "r")
BIN(bsr32, "bsrl", unsigned int, "r")
BIN(imul16, "imulw", unsigned short, "r")
BIN(imul32, "imull", unsigned int, "r")
MULDIV8(mul8, "mulb")
MULDIV8(imul1_8, "imulb")
MULDIV(mul16, "mulw", unsigned short, "r")
MULDIV(mul32, "mull", unsigned int, "r")
MULDIV(imul1_16, "imulw", unsigned short, "r")
MULDIV(imul1_32, "imull", unsigned int, "r")
MULDIV(div16, "divw", unsigned short, "r")
MULDIV(div32, "divl", unsigned int, "r")
MULDIV(idiv16, "idivw", unsigned short, "r")
MULDIV(idiv32, "idivl", unsigned int, "r")
#ifdef __x86_64__
DSH(shld64, "shldq", u64c)
DSH(shrd64, "shrdq", u64c)
BIN(bt64, "btq", u64c, "r")
BIN(btc64, "btcq", u64c, "r")
BIN(bsf64, "bsfq", u64c, "r")
BIN(bsr64, "bsrq", u64c, "r")
BIN(imul64, "imulq", u64c, "r")
MULDIV(mul64, "mulq", u64c, "r")
MULDIV(imul1_64, "imulq", u64c, "r")
MULDIV(div64, "divq", u64c, "r")
MULDIV(idiv64, "idivq", u64c, "r")
#endif

/* Which inputs a group uses and which flags it defines. */
enum kind { K_ARITH, K_LOGIC, K_INCDEC, K_NOFLAGS, K_SHIFT, K_ROT, K_DSHIFT, K_BT, K_BS, K_MUL, K_DIV, K_IDIV };

struct alu_op {
    const char *name;
    void (*fn)(u64c, u64c, ulongc, struct alu_out *);
    int size;
    enum kind kind;
};

#define OPS4(name, kind) {#name "8", name##8, 1, kind}, {#name "16", name##16, 2, kind}, {#name "32", name##32, 4, kind}, OP64(name, kind)
#ifdef __x86_64__
#define OP64(name, kind) {#name "64", name##64, 8, kind}
#else
#define OP64(name, kind) {0, 0, 0, 0}
#endif

static const struct alu_op alu_ops[] = {
    OPS4(add, K_ARITH), OPS4(adc, K_ARITH), OPS4(sub, K_ARITH), OPS4(sbb, K_ARITH), OPS4(cmp, K_ARITH),
    OPS4(xadd, K_ARITH), OPS4(neg, K_ARITH), OPS4(and, K_LOGIC), OPS4(or, K_LOGIC), OPS4(xor, K_LOGIC),
    OPS4(test, K_LOGIC), OPS4(inc, K_INCDEC), OPS4(dec, K_INCDEC), OPS4(not, K_NOFLAGS), OPS4(shl, K_SHIFT),
    OPS4(shr, K_SHIFT), OPS4(sar, K_SHIFT), OPS4(rol, K_ROT), OPS4(ror, K_ROT), OPS4(rcl, K_ROT), OPS4(rcr, K_ROT),
    {"shld16", shld16, 2, K_DSHIFT}, {"shld32", shld32, 4, K_DSHIFT}, {"shrd16", shrd16, 2, K_DSHIFT},
    {"shrd32", shrd32, 4, K_DSHIFT}, {"bt16", bt16, 2, K_BT}, {"bt32", bt32, 4, K_BT}, {"bts16", bts16, 2, K_BT},
    {"bts32", bts32, 4, K_BT}, {"btr32", btr32, 4, K_BT}, {"btc32", btc32, 4, K_BT}, {"bsf16", bsf16, 2, K_BS},
    {"bsf32", bsf32, 4, K_BS}, {"bsr16", bsr16, 2, K_BS}, {"bsr32", bsr32, 4, K_BS}, {"imul16", imul16, 2, K_MUL},
    {"imul32", imul32, 4, K_MUL}, {"mul8", mul8, 1, K_MUL}, {"imul1_8", imul1_8, 1, K_MUL}, {"mul16", mul16, 2, K_MUL},
    {"mul32", mul32, 4, K_MUL}, {"imul1_16", imul1_16, 2, K_MUL}, {"imul1_32", imul1_32, 4, K_MUL},
    {"div16", div16, 2, K_DIV}, {"div32", div32, 4, K_DIV}, {"idiv16", idiv16, 2, K_IDIV},
    {"idiv32", idiv32, 4, K_IDIV},
#ifdef __x86_64__
    {"shld64", shld64, 8, K_DSHIFT}, {"shrd64", shrd64, 8, K_DSHIFT}, {"bt64", bt64, 8, K_BT},
    {"btc64", btc64, 8, K_BT}, {"bsf64", bsf64, 8, K_BS}, {"bsr64", bsr64, 8, K_BS}, {"imul64", imul64, 8, K_MUL},
    {"mul64", mul64, 8, K_MUL}, {"imul1_64", imul1_64, 8, K_MUL}, {"div64", div64, 8, K_DIV},
    {"idiv64", idiv64, 8, K_IDIV},
#endif
};
#define N_OPS (sizeof(alu_ops) / sizeof(alu_ops[0]))

static const unsigned char shift_counts[] = {0, 1, 2, 7, 8, 15, 16, 31, 33, 63};

static u64c size_mask(int size)
{
    return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static u64c fnv(u64c h, u64c v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Runs every case of one operation and returns its checksum; *count gets the number of cases. */
static u64c run_op(const struct alu_op *op, int *count)
{
    u64c h = 0xcbf29ce484222325ULL;
    int n = 0;
    int bits = op->size * 8;
    u64c m = size_mask(op->size);
    for (unsigned i = 0; i < N_VALUES; i++) {
        for (unsigned j = 0; j < (op->kind == K_SHIFT || op->kind == K_ROT || op->kind == K_DSHIFT ? sizeof(shift_counts) : N_VALUES); j++) {
            for (unsigned k = 0; k < 2; k++) {
                u64c a = alu_values[i] & m;
                u64c b = (op->kind == K_SHIFT || op->kind == K_ROT || op->kind == K_DSHIFT) ? shift_counts[j] : alu_values[j] & m;
                ulongc fin = flag_inputs[k];
                ulongc defined = F_ALL;
                int compare_res = 1;
                switch (op->kind) {
                case K_ARITH: case K_INCDEC: case K_NOFLAGS: break;
                case K_LOGIC: defined &= ~F_AF; break;
                case K_SHIFT: {
                    int c = (int)(b & (bits == 64 ? 63 : 31));
                    if (c == 0)
                        break;
                    if (c >= bits)
                        defined &= ~(F_CF | F_OF); /* SDM: CF undefined when count >= operand size */
                    defined &= ~F_AF;
                    if (c != 1)
                        defined &= ~F_OF;
                    break;
                }
                case K_ROT: {
                    int c = (int)(b & (bits == 64 ? 63 : 31));
                    if (c != 1)
                        defined &= ~F_OF;
                    break;
                }
                case K_DSHIFT: {
                    int c = (int)(b & (bits == 64 ? 63 : 31));
                    if (c == 0)
                        break;
                    if (c > bits) { defined = 0; compare_res = 0; }
                    defined &= ~F_AF;
                    if (c != 1)
                        defined &= ~F_OF;
                    break;
                }
                case K_BT: defined = F_CF; break;
                case K_BS: defined = F_ZF; compare_res = a != 0 && b != 0; break;
                case K_MUL: defined = F_CF | F_OF; break;
                case K_DIV: if (b == 0) continue; if (op->size == 1 || (a & m) / b > m) continue; defined = 0; break;
                case K_IDIV: {
                    /* dividend = 0:a (non-negative), so only a positive quotient can overflow */
                    if (b == 0) continue;
                    u64c sb = b >> (bits - 1) ? (~b & m) + 1 : b; /* |divisor| */
                    u64c q = a / sb;
                    if (q >> (bits - 1)) continue; /* >= 2^(bits-1): #DE for either sign */
                    defined = 0;
                    break;
                }
                }
                struct alu_out o = {0, 0, 0};
                op->fn(a, b, fin, &o);
                h = fnv(h, compare_res ? o.res & (op->size == 1 && (op->kind == K_MUL || op->kind == K_DIV) ? 0xffff : m) : 0);
                h = fnv(h, o.res2 & m);
                h = fnv(h, o.flags & defined);
                n++;
            }
        }
    }
    *count = n;
    return h;
}

#endif
