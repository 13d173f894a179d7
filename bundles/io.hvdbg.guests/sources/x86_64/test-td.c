/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * An Intel TDX trust-domain guest (run with --tdx): CPUID, HLT, port I/O, MSRs outside the
 * TDX module's own set and MMIO raise #VE; the #VE handler reads the exit information with
 * TDG.VP.VEINFO.GET and asks the host with TDG.VP.VMCALL (Instruction.CPUID/HLT/IO/RDMSR/
 * WRMSR, #VE.RequestMMIO), as Linux's arch/x86/coco/tdx does. Also TDG.VP.INFO, MapGPA, an
 * unknown sub-function and an unknown TDCALL leaf. Even the console goes through #VE.
 */
#include "idt64.h"

#define TDX_OPERAND_INVALID 0xC000010000000000UL
#define TDVMCALL_INVALID_OPERAND 0x8000000000000000UL
#define SHARED_BIT (1UL << 47)

struct td_args {
    u64 rax, rcx, rdx, r8, r9, r10, r11, r12, r13, r14, r15;
};

static void tdcall(struct td_args *a)
{
    register u64 r8 __asm__("r8") = a->r8;
    register u64 r9 __asm__("r9") = a->r9;
    register u64 r10 __asm__("r10") = a->r10;
    register u64 r11 __asm__("r11") = a->r11;
    register u64 r12 __asm__("r12") = a->r12;
    register u64 r13 __asm__("r13") = a->r13;
    register u64 r14 __asm__("r14") = a->r14;
    register u64 r15 __asm__("r15") = a->r15;
    __asm__ volatile(".byte 0x66, 0x0f, 0x01, 0xcc" /* tdcall */
                     : "+a"(a->rax), "+c"(a->rcx), "+d"(a->rdx), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11),
                       "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
                     : : "memory");
    a->r8 = r8; a->r9 = r9; a->r10 = r10; a->r11 = r11;
    a->r12 = r12; a->r13 = r13; a->r14 = r14; a->r15 = r15;
}

/* TDG.VP.VMCALL: the host handles sub-function FN; returns R10 (0 = success). */
static u64 vmcall(struct td_args *a, u64 fn)
{
    a->rax = 0;
    a->rcx = 0xfc00; /* R10-R15 passed to the host */
    a->r10 = 0;
    a->r11 = fn;
    tdcall(a);
    return a->r10;
}

static volatile int ve_count, ve_last, ve_failures, ticks;

static void ve_handler(struct frame *f)
{
    struct td_args info = {.rax = 3}; /* TDG.VP.VEINFO.GET */
    tdcall(&info);
    if (info.rax != 0) {
        ve_failures++;
        return;
    }
    u32 reason = (u32)info.rcx, len = (u32)info.r10;
    u64 q = info.rdx;
    struct td_args a = {0};
    ve_count++;
    ve_last = reason;
    switch (reason) {
    case 10: /* CPUID */
        a.r12 = (u32)f->rax;
        a.r13 = (u32)f->rcx;
        if (vmcall(&a, 10))
            ve_failures++;
        f->rax = (u32)a.r12;
        f->rbx = (u32)a.r13;
        f->rcx = (u32)a.r14;
        f->rdx = (u32)a.r15;
        break;
    case 12: /* HLT: STI's shadow covers the TDCALL, so the wake-up interrupt comes after it */
        a.r12 = 0;
        a.rax = 0; a.rcx = 0xfc00; a.r10 = 0; a.r11 = 12;
        {
            register u64 r10 __asm__("r10") = 0;
            register u64 r11 __asm__("r11") = 12;
            register u64 r12 __asm__("r12") = 0;
            u64 rax = 0, rcx = 0xfc00;
            __asm__ volatile("sti\n .byte 0x66, 0x0f, 0x01, 0xcc\n cli"
                             : "+a"(rax), "+c"(rcx), "+r"(r10), "+r"(r11), "+r"(r12) : : "rdx", "r8", "r9", "r13",
                               "r14", "r15", "memory");
            if (r10)
                ve_failures++;
        }
        break;
    case 30: { /* I/O: exit qualification as VMX reports it */
        u64 size = (q & 7) + 1, in = (q >> 3) & 1, port = q >> 16;
        if (q & 0x10) { /* string I/O is not forwarded here */
            ve_failures++;
            break;
        }
        a.r12 = size;
        a.r13 = !in;
        a.r14 = port;
        a.r15 = f->rax & ((1UL << (8 * size)) - 1);
        if (vmcall(&a, 30))
            ve_failures++;
        if (in) {
            if (size == 4)
                f->rax = (u32)a.r11;
            else
                f->rax = (f->rax & ~((1UL << (8 * size)) - 1)) | a.r11;
        }
        break;
    }
    case 31: /* RDMSR */
        a.r12 = (u32)f->rcx;
        if (vmcall(&a, 31))
            ve_failures++;
        f->rax = (u32)a.r11;
        f->rdx = a.r11 >> 32;
        break;
    case 32: /* WRMSR */
        a.r12 = (u32)f->rcx;
        a.r13 = (f->rdx << 32) | (u32)f->rax;
        if (vmcall(&a, 32))
            ve_failures++;
        break;
    case 48: { /* EPT violation on a shared page: decode the MMIO instruction (only the two we use) */
        const u8 *insn = (const u8 *)f->rip;
        int write = insn[0] == 0x89;
        if ((insn[0] != 0x89 && insn[0] != 0x8b) || insn[1] != 0x07) {
            ve_failures++;
            break;
        }
        len = 2;
        a.r12 = 4;
        a.r13 = write;
        a.r14 = f->rdi;
        a.r15 = (u32)f->rax;
        if (vmcall(&a, 48))
            ve_failures++;
        if (!write)
            f->rax = (u32)a.r11;
        break;
    }
    default:
        ve_failures++;
    }
    f->rip += len;
}

static void timer(struct frame *f)
{
    (void)f;
    ticks++;
    wrmsr(0x80b, 0); /* x2APIC EOI: virtualized, no #VE */
}

static u8 shared_page[4096] __attribute__((aligned(4096)));

int main(void)
{
    idt_init();
    set_handler(20, ve_handler);
    puts("td: console through #VE\n");
    CHECK(ve_count > 0);
    CHECK_EQ(ve_last, 30);

    struct td_args a = {.rax = 1}; /* TDG.VP.INFO */
    tdcall(&a);
    CHECK_EQ(a.rax, 0);
    CHECK_EQ(a.rcx & 0x3f, 48);
    CHECK_EQ(a.r9, 0);
    puts("td attributes ");
    put_hex(a.rdx);
    puts("\n");

    int before = ve_count;
    u32 eax, ebx, ecx, edx;
    cpuid2(0, 0, &eax, &ebx, &ecx, &edx);
    CHECK_EQ(ve_count, before + 1);
    CHECK_EQ(ve_last, 10);
    CHECK_EQ(ebx, 0x756e6547); /* Genu */
    CHECK_EQ(edx, 0x49656e69); /* ineI */
    CHECK_EQ(ecx, 0x6c65746e); /* ntel */

    before = ve_count;
    u64 efer = rdmsr(0xc0000080); /* the TDX module's own MSR: no #VE */
    CHECK(efer & (1 << 10));
    CHECK_EQ(ve_count, before);
    u64 apic_base = rdmsr(0x1b);
    CHECK_EQ(ve_last, 31);
    CHECK_EQ(apic_base & 0xfffff000UL, 0xfee00000UL);
    wrmsr(0x1b, apic_base | (1 << 10) | (1 << 11)); /* x2APIC mode */
    CHECK_EQ(ve_last, 32);
    CHECK(rdmsr(0x1b) & (1 << 10));

    /* MMIO: the IOAPIC version register through IOREGSEL/IOWIN */
    before = ve_count;
    __asm__ volatile("mov %%eax, (%%rdi)" : : "a"(1), "D"(0xfec00000UL) : "memory");
    u32 version;
    __asm__ volatile("mov (%%rdi), %%eax" : "=a"(version) : "D"(0xfec00010UL) : "memory");
    CHECK_EQ(ve_count, before + 2);
    CHECK_EQ(ve_last, 48);
    CHECK_EQ(version, 0x00170020);

    /* MapGPA: share one page with the host */
    struct td_args m = {0};
    m.r12 = (u64)shared_page | SHARED_BIT;
    m.r13 = 4096;
    CHECK_EQ(vmcall(&m, 0x10001), 0);

    /* HLT, woken by the x2APIC TSC-deadline timer */
    set_handler(32, timer);
    wrmsr(0x80f, 0x1ff);
    wrmsr(0x832, 32 | (2 << 17));
    before = ve_count;
    wrmsr(0x6e0, rdtsc() + 50000);
    __asm__ volatile("sti\n hlt\n cli");
    CHECK_EQ(ve_last, 12);
    CHECK_EQ(ve_count, before + 1);
    CHECK_EQ(ticks, 1);
    wrmsr(0x832, 1 << 16);

    /* an unknown sub-function and an unknown TDCALL leaf */
    struct td_args u = {0};
    CHECK_EQ(vmcall(&u, 0x12345), TDVMCALL_INVALID_OPERAND);
    struct td_args l = {.rax = 99};
    tdcall(&l);
    CHECK_EQ(l.rax, TDX_OPERAND_INVALID);
    CHECK_EQ(ve_failures, 0);
    report_and_exit("td");
}
