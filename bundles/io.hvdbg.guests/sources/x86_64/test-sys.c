/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * System test in 64-bit long mode (built as a multiboot kernel that switches modes itself,
 * test-sys.elf, and as an ELF64 the hypervisor starts in long mode, test-sys-elf64.elf):
 * exceptions through the IDT with error codes, #PF with CR2 for not-present, write-protected,
 * NX, SMEP and SMAP pages, accessed/dirty bits, INVLPG, string instructions, atomics, MSRs,
 * CR accesses, FXSAVE state and the LAPIC timer waking HLT.
 */
#include "idt64.h"

#define PTE_P 1UL
#define PTE_W 2UL
#define PTE_U 4UL
#define PTE_A 0x20UL
#define PTE_D 0x40UL
#define PTE_NX (1UL << 63)
#define TEST_VA 0x8000000000UL /* PML4 slot 1 */

static u64 pdpt[512] __attribute__((aligned(4096)));
static u64 pd[512] __attribute__((aligned(4096)));
static u64 pt[512] __attribute__((aligned(4096)));
static u8 pages[4][4096] __attribute__((aligned(4096)));

static void map(int i, void *page, u64 flags)
{
    pt[i] = (u64)page | flags;
    invlpg((void *)(TEST_VA + i * 4096UL));
}

/* True under the hvdbg hypervisor (KVM's CPUID 0x40000000 signature "KVMKVMKVM"), false on bare QEMU TCG. */
static int under_hvdbg(void)
{
    u32 a, b, c, d;
    cpuid2(0x40000000, 0, &a, &b, &c, &d);
    return b == 0x4b4d564b && c == 0x564b4d56 && d == 0x4d; /* "KVMKVMKVM\0\0\0" */
}

static volatile int int80_count;
static void int80(struct frame *f)
{
    int80_count++;
    f->rax = 0x80;
}

static void test_exceptions(void)
{
    CHECK_EQ(TRY_INSN("ud2", "i"(0)), 6);
    CHECK_EQ(TRY_CL("xor %%ecx, %%ecx\n div %%ecx", INPUTS("a"(1), "d"(0)), "rcx"), 0);
    CHECK_EQ(TRY_INSN("int3", "i"(0)), 3);
    /* non-canonical address: #GP(0) */
    CHECK_EQ(TRY_CL("mov (%0), %%al", INPUTS("r"(0x8000000000000000UL)), "rax"), 13);
    CHECK_EQ(ex_error, 0);
    /* WRMSR to an MSR that does not exist: the exit handler injects #GP (as KVM does; QEMU TCG ignores it) */
    if (under_hvdbg()) {
        CHECK_EQ(TRY_INSN("wrmsr", "c"(0xdeadbeef), "a"(0), "d"(0)), 13);
        CHECK_EQ(TRY_CL("rdmsr", INPUTS("c"(0xdeadbeef)), "rax", "rdx"), 13);
    }
    /* privileged instruction from ring 0 works; software interrupt with a handler */
    set_handler(128, int80);
    u64 rax = 0;
    __asm__ volatile("int $0x80" : "+a"(rax));
    CHECK_EQ(int80_count, 1);
    CHECK_EQ(rax, 0x80);
    set_handler(128, 0);
}

static void test_paging(void)
{
    u64 *pml4 = (u64 *)(read_cr3() & ~0xfffUL);
    pml4[1] = (u64)pdpt | PTE_P | PTE_W | PTE_U;
    pdpt[0] = (u64)pd | PTE_P | PTE_W | PTE_U;
    pd[0] = (u64)pt | PTE_P | PTE_W | PTE_U;
    write_cr3(read_cr3());
    volatile u8 *va = (volatile u8 *)TEST_VA;

    /* accessed and dirty bits */
    pages[0][0] = 0x11;
    barrier();
    map(0, pages[0], PTE_P | PTE_W);
    CHECK_EQ(va[0], 0x11);
    CHECK(pt[0] & PTE_A);
    CHECK(!(pt[0] & PTE_D));
    va[1] = 0x22;
    CHECK(pt[0] & PTE_D);
    CHECK_EQ(pages[0][1], 0x22);
    CHECK(pd[0] & PTE_A);

    /* not present: #PF error 0 (read) / 2 (write), CR2 = the address */
    map(2, 0, 0);
    CHECK_EQ(TRY_CL("mov (%0), %%al", INPUTS("r"(va + 2 * 4096 + 5)), "rax"), 14);
    CHECK_EQ(ex_error, 0);
    CHECK_EQ(read_cr2(), (u64)(va + 2 * 4096 + 5));
    CHECK_EQ(TRY_INSN("movb $1, (%0)", "r"(va + 2 * 4096 + 9)), 14);
    CHECK_EQ(ex_error, 2);

    /* read-only with CR0.WP: write faults with P|W */
    pages[1][0] = 0x33;
    map(1, pages[1], PTE_P);
    CHECK_EQ(va[4096], 0x33);
    CHECK_EQ(TRY_INSN("movb $1, (%0)", "r"(va + 4096)), 14);
    CHECK_EQ(ex_error, 3);
    CHECK_EQ(pages[1][0], 0x33);
    /* with CR0.WP clear the supervisor may write */
    write_cr0(read_cr0() & ~(1UL << 16));
    CHECK_EQ(TRY_INSN("movb $0x44, (%0)", "r"(va + 4096)), -1);
    CHECK_EQ(pages[1][0], 0x44);
    write_cr0(read_cr0() | (1UL << 16));

    /* NX: fetch faults with P|I */
    pages[3][0] = 0xc3; /* ret */
    map(3, pages[3], PTE_P | PTE_W | PTE_NX);
    CHECK_EQ(TRY_INSN("jmp *%0", "r"(va + 3 * 4096)), 14);
    CHECK_EQ(ex_error, 0x11);
    CHECK_EQ(read_cr2(), (u64)(va + 3 * 4096));

    /* INVLPG makes a changed mapping visible */
    pages[2][0] = 0x55;
    map(0, pages[0], PTE_P | PTE_W);
    CHECK_EQ(va[0], 0x11);
    pt[0] = (u64)pages[2] | PTE_P | PTE_W;
    invlpg(va);
    CHECK_EQ(va[0], 0x55);

    /* self-modifying code through another mapping of the same page */
    u8 *code = pages[3];
    code[0] = 0xb8; /* mov $imm32, %eax */
    code[1] = 1; code[2] = 0; code[3] = 0; code[4] = 0;
    code[5] = 0xc3;
    map(3, pages[3], PTE_P | PTE_W);
    u32 (*fn)(void) = (u32 (*)(void))(va + 3 * 4096);
    CHECK_EQ(fn(), 1);
    code[1] = 7;
    CHECK_EQ(fn(), 7);

    /* SMEP and SMAP with user pages, when the CPU has them */
    u32 a, b, c, d;
    cpuid2(7, 0, &a, &b, &c, &d);
    map(1, pages[1], PTE_P | PTE_W | PTE_U);
    pages[1][0] = 0xc3;
    if (b & (1 << 7)) {
        write_cr4(read_cr4() | (1UL << 20));
        CHECK_EQ(TRY_INSN("jmp *%0", "r"(va + 4096)), 14);
        CHECK_EQ(ex_error, 0x11);
        write_cr4(read_cr4() & ~(1UL << 20));
    }
    if (b & (1 << 20)) {
        write_cr4(read_cr4() | (1UL << 21));
        CHECK_EQ(TRY_CL("mov (%0), %%al", INPUTS("r"(va + 4096)), "rax"), 14);
        CHECK_EQ(ex_error, 1);
        CHECK_EQ(TRY_CL("stac\n mov (%0), %%al\n clac", INPUTS("r"(va + 4096)), "rax"), -1);
        write_cr4(read_cr4() & ~(1UL << 21));
    }
}

static void test_strings(void)
{
    static u8 buf[256];
    static u64 qbuf[16];
    for (int i = 0; i < 256; i++)
        buf[i] = (u8)i;
    /* forward overlapping copy byte by byte */
    __asm__ volatile("rep movsb" : : "S"(buf), "D"(buf + 1), "c"(16) : "memory");
    CHECK_EQ(buf[16], 0);
    CHECK_EQ(buf[17], 17);
    /* backward copy with DF */
    for (int i = 0; i < 256; i++)
        buf[i] = (u8)i;
    __asm__ volatile("std\n rep movsb\n cld" : : "S"(buf + 15), "D"(buf + 16), "c"(16) : "memory");
    CHECK_EQ(buf[16], 15);
    CHECK_EQ(buf[1], 0);
    CHECK_EQ(buf[2], 1);
    CHECK_EQ(buf[31], 31);
    u64 *end;
    __asm__ volatile("rep stosq" : "=D"(end) : "D"(qbuf), "a"(0x0102030405060708UL), "c"(16) : "memory");
    CHECK_EQ(qbuf[15], 0x0102030405060708UL);
    CHECK_EQ((u64)end, (u64)(qbuf + 16));
    /* repe cmpsb stops at the first difference */
    static const char s1[] = "hypervisor", s2[] = "hyperviser";
    u64 left;
    __asm__ volatile("repe cmpsb" : "=c"(left) : "S"(s1), "D"(s2), "c"(10) : "memory", "cc");
    CHECK_EQ(left, 1);
    /* repne scasb finds a byte */
    const char *p;
    __asm__ volatile("repne scasb" : "=D"(p) : "D"(s1), "a"('v'), "c"(10) : "memory", "cc");
    CHECK_EQ(p - s1, 6);
    u8 al;
    __asm__ volatile("lodsb" : "=a"(al) : "S"(s1 + 2) : "memory");
    CHECK_EQ(al, 'p');
    CHECK_EQ(memcmp("abc", "abd", 3) < 0, 1);
}

/* String port I/O: REP INSB from fw_cfg's data port, REP OUTSB to the UART */
static void test_string_io(void)
{
    char sig[5] = {0, 0, 0, 0, 0};
    outw(0x510, 0);
    __asm__ volatile("rep insb" : : "D"(sig), "d"(0x511), "c"(4) : "memory");
    CHECK(sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U');
    static const char msg[] = "string I/O ok\r\n";
    ulong left;
    __asm__ volatile("rep outsb" : "=c"(left) : "S"(msg), "d"(0x3f8), "c"(sizeof(msg) - 1) : "memory");
    CHECK_EQ(left, 0);
}

static void test_atomics(void)
{
    static volatile u64 v = 5;
    static volatile u64 pair[2] __attribute__((aligned(16))) = {1, 2};
    u64 old = 5;
    u8 ok;
    __asm__ volatile("lock cmpxchgq %3, %1\n sete %0" : "=q"(ok), "+m"(v), "+a"(old) : "r"(9UL) : "cc");
    CHECK(ok);
    CHECK_EQ(v, 9);
    old = 5;
    __asm__ volatile("lock cmpxchgq %3, %1\n sete %0" : "=q"(ok), "+m"(v), "+a"(old) : "r"(11UL) : "cc");
    CHECK(!ok);
    CHECK_EQ(old, 9);
    u64 add = 3;
    __asm__ volatile("lock xaddq %0, %1" : "+r"(add), "+m"(v));
    CHECK_EQ(add, 9);
    CHECK_EQ(v, 12);
    u64 x = 77;
    __asm__ volatile("xchgq %0, %1" : "+r"(x), "+m"(v));
    CHECK_EQ(x, 12);
    CHECK_EQ(v, 77);
    u64 lo = 1, hi = 2;
    __asm__ volatile("lock cmpxchg16b %1\n sete %0" : "=q"(ok), "+m"(*(volatile u64(*)[2])pair), "+a"(lo), "+d"(hi)
                     : "b"(10UL), "c"(20UL) : "cc");
    CHECK(ok);
    CHECK_EQ(pair[0], 10);
    CHECK_EQ(pair[1], 20);
    /* SETcc / CMOVcc through compiled comparisons */
    volatile long s = -5, t = 3;
    CHECK_EQ(s < t, 1);
    CHECK_EQ((unsigned long)s < (unsigned long)t, 0);
    long mx = s > t ? s : t;
    CHECK_EQ(mx, 3);
    u64 bs = 0x0000010000000000UL;
    CHECK_EQ(__builtin_ctzll(bs), 40);
    CHECK_EQ(63 - __builtin_clzll(bs), 40);
    CHECK_EQ(__builtin_bswap64(0x0102030405060708UL), 0x0807060504030201UL);
    CHECK_EQ(__builtin_bswap32(0x11223344), 0x44332211);
}

static void test_system(void)
{
    u32 a, b, c, d;
    cpuid2(1, 0, &a, &b, &c, &d);
    CHECK(d & (1 << 5)); /* MSR */
    CHECK(c & (1u << 31)); /* hypervisor */
    u64 t0 = rdtsc(), t1 = rdtsc();
    CHECK(t1 > t0);
    wrmsr(0xc0000103, 0x42); /* TSC_AUX */
    u32 aux;
    __asm__ volatile("rdtscp" : "=c"(aux) : : "rax", "rdx");
    CHECK_EQ(aux, 0x42);
    CHECK(rdmsr(0xc0000080) & (1 << 10)); /* EFER.LMA */
    wrmsr(0xc0000100, 0x1000); /* FS_BASE */
    static u64 fsdata[2] = {0, 0xfeedface};
    wrmsr(0xc0000100, (u64)fsdata);
    u64 got;
    __asm__ volatile("mov %%fs:8, %0" : "=r"(got));
    CHECK_EQ(got, 0xfeedface);
    wrmsr(0xc0000100, 0);
    /* GS swap */
    wrmsr(0xc0000101, 1);
    wrmsr(0xc0000102, 2);
    __asm__ volatile("swapgs");
    CHECK_EQ(rdmsr(0xc0000101), 2);
    CHECK_EQ(rdmsr(0xc0000102), 1);
    __asm__ volatile("swapgs");
    /* CR0.TS via CLTS, CR8 */
    write_cr0(read_cr0() | 8);
    __asm__ volatile("clts");
    CHECK(!(read_cr0() & 8));
    ulong cr8 = 5;
    __asm__ volatile("mov %0, %%cr8\n mov %%cr8, %0" : "+r"(cr8));
    CHECK_EQ(cr8, 5);
    cr8 = 0;
    __asm__ volatile("mov %0, %%cr8" : : "r"(cr8));
    /* FXSAVE/FXRSTOR round trip of XMM state */
    static u8 area[512] __attribute__((aligned(16)));
    static u8 area2[512] __attribute__((aligned(16)));
    write_cr4(read_cr4() | (1 << 9));
    __asm__ volatile("fxsave %0" : "=m"(area));
    area[160] = 0xab; /* XMM0 byte 0 */
    __asm__ volatile("fxrstor %0" : : "m"(area));
    __asm__ volatile("fxsave %0" : "=m"(area2));
    CHECK_EQ(area2[160], 0xab);
    CHECK_EQ(*(u32 *)(area2 + 24), 0x1f80); /* MXCSR */
    /* SSE data movement (what memcpy/memset and context switches use) */
    static u64 src[2] __attribute__((aligned(16))) = {0x1111222233334444ULL, 0x5555666677778888ULL};
    static u64 dst[2] __attribute__((aligned(16)));
    u64 lo, hi;
    __asm__ volatile("movdqa %2, %%xmm1\n movdqu %%xmm1, %0\n movq %%xmm1, %1"
                     : "=m"(dst), "=r"(lo) : "m"(src) : "memory"); /* no xmm clobbers: the compiler uses none (-mgeneral-regs-only) */
    CHECK_EQ(dst[0], src[0]);
    CHECK_EQ(dst[1], src[1]);
    CHECK_EQ(lo, src[0]);
    __asm__ volatile("pxor %%xmm2, %%xmm2\n movq %1, %%xmm2\n pxor %%xmm1, %%xmm2\n movaps %%xmm2, %0"
                     : "=m"(dst) : "r"(0xffffULL) : "memory");
    /* MOVQ to memory and MOVD back */
    __asm__ volatile("movq %%xmm2, %0\n movd %%xmm2, %k1" : "=m"(lo), "=r"(hi) : : "memory");
    CHECK_EQ(hi, (src[0] ^ 0xffff) & 0xffffffffULL);
    CHECK_EQ(dst[0], src[0] ^ 0xffff);
    CHECK_EQ(dst[1], src[1]);
    CHECK_EQ(lo, src[0] ^ 0xffff);
    /* XSETBV x87|SSE with OSXSAVE */
    write_cr4(read_cr4() | (1 << 18));
    __asm__ volatile("xsetbv" : : "c"(0), "a"(3), "d"(0));
    u32 xlo, xhi;
    __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
    CHECK_EQ(xlo, 3);
    /* XSETBV without x87 is #GP */
    CHECK_EQ(TRY_INSN("xsetbv", "c"(0), "a"(2), "d"(0)), 13);
    /* VMCALL: no hypercalls offered, KVM's -ENOSYS */
    if (under_hvdbg()) {
        long ret = 12;
        __asm__ volatile("vmcall" : "+a"(ret));
        CHECK_EQ(ret, -1000);
    }
    __asm__ volatile("wbinvd; pause");
}

/* Own GDT (kernel and user segments, 64-bit TSS) so both boot paths run the ring-3 test. */
static u64 gdt[8] __attribute__((aligned(16)));
static u8 tss[104] __attribute__((aligned(16)));
static u8 kstack[8192] __attribute__((aligned(16)));
extern char enter_user[], syscall_entry[], user_code[], user_io[], user_after_pf[];
extern volatile int syscall_count;
void enter_user_fn(u64 rip, u64 rsp, u64 a0, u64 a1) __asm__("enter_user");

static void load_gdt_and_tss(void)
{
    gdt[0] = 0;
    gdt[1] = 0x00af9b000000ffffULL; /* 0x08 kernel code */
    gdt[2] = 0x00cf93000000ffffULL; /* 0x10 kernel data */
    gdt[3] = 0x00cf9b000000ffffULL; /* 0x18 32-bit code */
    u64 base = (u64)tss;
    gdt[4] = 103 | ((base & 0xffffff) << 16) | (0x89ULL << 40) | (((base >> 24) & 0xff) << 56);
    gdt[5] = base >> 32;            /* 0x20 TSS */
    gdt[6] = 0x00cff3000000ffffULL; /* 0x30 user data */
    gdt[7] = 0x00affb000000ffffULL; /* 0x38 user code */
    *(u64 *)(tss + 4) = (u64)(kstack + sizeof(kstack)); /* RSP0 */
    *(u16 *)(tss + 102) = 104;                          /* I/O bitmap beyond the limit: none */
    struct {
        u16 limit;
        u64 base;
    } __attribute__((packed)) d = {sizeof(gdt) - 1, (u64)gdt};
    __asm__ volatile("lgdt %0\n"
                     "pushq $0x08\n lea 1f(%%rip), %%rax\n pushq %%rax\n lretq\n1:\n"
                     "mov $0x10, %%eax\n mov %%eax, %%ds\n mov %%eax, %%ss\n mov %%eax, %%es\n"
                     "mov $0x20, %%eax\n ltr %%ax"
                     : : "m"(d) : "rax", "memory");
}

static volatile u64 ist_frame;
static void on_ist(struct frame *f)
{
    ist_frame = (u64)f;
}

u32 run_compat(void);

static void test_user_mode(void)
{
    load_gdt_and_tss();
    /* compatibility mode: 32-bit code segment while long mode stays active */
    CHECK_EQ(run_compat(), 0x80000000u);
    CHECK(rdmsr(0xc0000080) & (1 << 10));
    /* IST: vector 33 switches to its own stack even without a privilege change */
    static u8 ist_stack[4096] __attribute__((aligned(16)));
    *(u64 *)(tss + 0x24) = (u64)(ist_stack + sizeof(ist_stack)); /* IST1 */
    set_ist(33, 1);
    set_handler(33, on_ist);
    __asm__ volatile("int $33");
    CHECK(ist_frame >= (u64)ist_stack && ist_frame < (u64)(ist_stack + sizeof(ist_stack)));
    set_handler(33, 0);
    set_ist(33, 0);
    u16 tr;
    __asm__ volatile("str %0" : "=r"(tr));
    CHECK_EQ(tr, 0x20);
    CHECK_EQ((gdt[4] >> 40) & 0xf, 0xb); /* LTR marked the TSS busy */
    /* user access to the low 2 MiB (kernel image): set U on the path to it */
    u64 *pml4 = (u64 *)(read_cr3() & ~0xfffUL);
    u64 *l3 = (u64 *)(pml4[0] & 0x000ffffffffff000UL);
    u64 *l2 = (u64 *)(l3[0] & 0x000ffffffffff000UL);
    pml4[0] |= PTE_U;
    l3[0] |= PTE_U;
    l2[0] |= PTE_U;
    write_cr3(read_cr3());
    map(0, pages[0], PTE_P | PTE_W | PTE_U);
    map(1, pages[1], PTE_P | PTE_W);
    pages[0][0] = 0x5a;
    pages[0][1] = 0;
    wrmsr(0xc0000081, (0x28ULL << 48) | (0x08ULL << 32)); /* STAR */
    wrmsr(0xc0000082, (u64)syscall_entry);                  /* LSTAR */
    wrmsr(0xc0000084, 0x200);                               /* SFMASK: IF */
    wrmsr(0xc0000080, rdmsr(0xc0000080) | 1);               /* EFER.SCE */
    static u8 ustack[4096] __attribute__((aligned(16)));
    ex_vector = -1;
    ex_log_n = 0;
    ex_recover = (u64)user_io;
    ex_recover_next = (u64)user_after_pf;
    enter_user_fn((u64)user_code, (u64)(ustack + sizeof(ustack)), TEST_VA, TEST_VA + 4096);
    ex_recover = 0;
    CHECK_EQ(syscall_count, 1);
    CHECK_EQ(pages[0][1], 0x5a);
    CHECK_EQ(ex_log_n, 2);
    CHECK_EQ(ex_log[0], 14); /* the supervisor page */
    CHECK_EQ(ex_error_log[0], 5); /* present, user, read */
    CHECK_EQ(ex_log[1], 13); /* port I/O at CPL 3 */
    CHECK_EQ(ex_error_log[1], 0);
    CHECK_EQ(ex_cs, 0x3b);
    CHECK_EQ(read_cr2(), TEST_VA + 4096);
    l2[0] &= ~PTE_U;
    l3[0] &= ~PTE_U;
    pml4[0] &= ~PTE_U;
    write_cr3(read_cr3());
}

static volatile int ticks;
static void timer(struct frame *f)
{
    (void)f;
    ticks++;
    mmio_write32(0xfee000b0, 0);
}

static void test_timer(void)
{
    set_handler(32, timer);
    mmio_write32(0xfee000f0, 0x1ff);
    mmio_write32(0xfee003e0, 0xb);
    mmio_write32(0xfee00320, 32 | (1 << 17)); /* periodic */
    mmio_write32(0xfee00380, 20000);
    __asm__ volatile("sti");
    while (ticks < 3)
        __asm__ volatile("hlt");
    __asm__ volatile("cli");
    /* a tick that arrives while IF=0 waits, then is taken right after STI's shadow */
    int before = ticks;
    for (volatile int i = 0; i < 100000; i++)
        ;
    CHECK_EQ(ticks, before);
    __asm__ volatile("sti\n hlt\n cli"); /* the pending tick ends the HLT at once */
    CHECK(ticks > before);
    mmio_write32(0xfee00380, 0);
    CHECK(ticks >= 3);
    CHECK_EQ(mmio_read32(0xfee00390), 0);
}

/* x2APIC: registers as MSRs 0x800+, the timer in TSC-deadline mode (MSR 0x6e0) */
static void test_x2apic(void)
{
    u32 a, b, c, d;
    cpuid2(1, 0, &a, &b, &c, &d);
    if (!(c & (1 << 21)) || !(c & (1 << 24)))
        return;
    wrmsr(0x1b, rdmsr(0x1b) | (1 << 10) | (1 << 11)); /* x2APIC mode */
    CHECK(rdmsr(0x1b) & (1 << 10));
    CHECK_EQ(rdmsr(0x802), b >> 24);        /* APIC id */
    CHECK_EQ(rdmsr(0x803) & 0xff, 0x14);    /* version */
    wrmsr(0x80f, 0x1ff);                    /* SVR: enabled */
    int before = ticks;
    wrmsr(0x832, 32 | (2 << 17));           /* LVT timer: TSC-deadline mode, vector 32 */
    wrmsr(0x6e0, rdtsc() + 50000);
    __asm__ volatile("sti");
    while (ticks == before)
        __asm__ volatile("hlt");
    __asm__ volatile("cli");
    CHECK_EQ(ticks, before + 1);
    CHECK_EQ(rdmsr(0x6e0), 0);              /* the deadline clears when it fires */
    /* self-IPI through the x2APIC SELF IPI register */
    wrmsr(0x83f, 32);
    __asm__ volatile("sti\n hlt\n cli"); /* the pending IPI ends the HLT */
    CHECK_EQ(ticks, before + 2);
    wrmsr(0x832, 1 << 16);                  /* mask the timer again */
}

int main(void)
{
    outb(0x21, 0xff); /* mask the legacy PIC: firmware points its timer IRQ at vector 8 */
    outb(0xa1, 0xff);
    idt_init();
    test_exceptions();
    test_paging();
    test_strings();
    test_string_io();
    test_atomics();
    test_system();
    test_timer();
    test_x2apic();
    test_user_mode();
    report_and_exit("sys64");
}
