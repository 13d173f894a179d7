/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Self-checking test of the hypervisor's SBI (run with --smp 2): BASE, unknown extensions,
 * HSM bring-up of the secondary hart (start, status, already-started, stop), IPI to it,
 * RFENCE, DBCN, and legacy putchar.
 */
#include "guest.h"

extern char _start[];
static volatile u64 secondary_seen, secondary_hartid, secondary_ipis;

static int secondary_hook(struct frame *f, u64 scause, u64 stval)
{
    if (scause == ((1UL << 63) | 1)) {
        secondary_ipis++;
        csr_clear(sip, 2);
        return 1;
    }
    return 0;
}

void secondary_main(unsigned long hartid, unsigned long opaque)
{
    secondary_hartid = hartid;
    csr_set(sie, 2);
    __asm__ volatile("fence rw, rw" ::: "memory");
    secondary_seen = opaque;
    while (!secondary_ipis) {
        __asm__ volatile("wfi");
        csr_set(sstatus, 2);
        csr_clear(sstatus, 2);
    }
}

/* Where a non-retentive system suspend resumes: fresh registers, a0 = hart id, a1 = opaque. */
__asm__(".text\n.globl suspend_resume\nsuspend_resume:\n"
        ".option push\n.option norelax\n la gp, __global_pointer$\n.option pop\n"
        " la sp, stack_top\n la t0, trap_entry\n csrw stvec, t0\n call resumed\n");
extern char suspend_resume[];

void resumed(unsigned long hartid, unsigned long opaque)
{
    check(hartid == 0 && opaque == 0x5a5, "SUSP resumed at resume_addr with a0 = hart id, a1 = opaque");
    guest_exit(0);
}

static long hart_status(long id)
{
    struct sbiret r = sbi_call(SBI_EXT_HSM, 2, id, 0, 0, 0);
    return r.error ? r.error : r.value;
}

int main(void)
{
    trap_hook = secondary_hook; /* shared by both harts */
    puts("test-sbi: BASE\n");
    check(sbi_call(SBI_EXT_BASE, 0, 0, 0, 0, 0).value == 0x2000000, "spec version 2.0");
    check(sbi_call(SBI_EXT_BASE, 3, SBI_EXT_HSM, 0, 0, 0).value == 1, "probe HSM");
    check(sbi_call(SBI_EXT_BASE, 3, 0x4a4a4a, 0, 0, 0).value == 0, "probe of an unknown extension answers 0");
    check(sbi_call(0x0a0b0c0d, 0, 0, 0, 0, 0).error == -2, "unknown extension: SBI_ERR_NOT_SUPPORTED");
    check(sbi_call(SBI_EXT_TIME, 7, 0, 0, 0, 0).error == -2, "unknown function: SBI_ERR_NOT_SUPPORTED");
    puts("test-sbi: HSM\n");
    check(hart_status(0) == 0, "hart 0 is started");
    check(hart_status(1) == 1, "hart 1 is stopped");
    check(hart_status(7) == -3, "status of a missing hart: SBI_ERR_INVALID_PARAM");
    check(sbi_call(SBI_EXT_HSM, 0, 1, (long)_start, 0xabc, 0).error == 0, "hart_start(1)");
    check(sbi_call(SBI_EXT_HSM, 0, 1, (long)_start, 0xabc, 0).error == -6, "second hart_start: SBI_ERR_ALREADY_AVAILABLE");
    check(sbi_call(SBI_EXT_HSM, 0, 0, (long)_start, 0, 0).error == -6, "starting the running hart: SBI_ERR_ALREADY_AVAILABLE");
    check(sbi_call(SBI_EXT_HSM, 0, 9, (long)_start, 0, 0).error == -3, "starting a missing hart: SBI_ERR_INVALID_PARAM");
    for (int i = 0; i < 1000000 && secondary_seen != 0xabc; i++)
        ;
    check(secondary_seen == 0xabc && secondary_hartid == 1, "hart 1 runs with a0 = 1, a1 = opaque");
    puts("test-sbi: IPI\n");
    check(sbi_call(SBI_EXT_IPI, 0, 2, 0, 0, 0).error == 0, "send_ipi to hart 1");
    for (int i = 0; i < 1000000 && hart_status(1) != 1; i++)
        ;
    check(secondary_ipis == 1, "hart 1 took the software interrupt");
    check(hart_status(1) == 1, "hart 1 stopped itself (hart_stop)");
    check(sbi_call(SBI_EXT_IPI, 0, 1, 5, 0, 0).error == -3, "send_ipi to a missing hart: SBI_ERR_INVALID_PARAM");
    puts("test-sbi: HSM suspend\n");
    csr_set(sie, 1 << 5);
    sbi_set_timer(rdtime() + 2000);
    struct sbiret r = sbi_call(SBI_EXT_HSM, 3, 0, 0, 0, 0);
    check(r.error == 0 && (csr_read(sip) & (1 << 5)), "retentive hart_suspend returns once the timer is pending");
    sbi_set_timer(~0UL);
    check((csr_read(sip) & (1 << 5)) == 0, "set_timer clears the pending timer interrupt");
    csr_clear(sie, 1 << 5);
    puts("test-sbi: RFENCE\n");
    check(sbi_call(SBI_EXT_RFENCE, 1, 0, -1, 0, 0).error == 0, "remote_sfence_vma on all harts");
    check(sbi_call(SBI_EXT_RFENCE, 0, 3, 0, 0, 0).error == 0, "remote_fence_i");
    puts("test-sbi: DBCN and legacy console\n");
    check(sbi_call(SBI_EXT_DBCN, 2, 'D', 0, 0, 0).error == 0, "console_write_byte");
    sbi_call(1, 0, 'L', 0, 0, 0);
    sbi_call(1, 0, '\n', 0, 0, 0);
    puts("test-sbi: SUSP\n");
    check(sbi_call(0x53555350, 0, 1, (long)suspend_resume, 0x5a5, 0).error == -3, "unknown sleep type: SBI_ERR_INVALID_PARAM");
    csr_set(sie, 1 << 5);
    sbi_set_timer(rdtime() + 1000);
    sbi_call(0x53555350, 0, 0, (long)suspend_resume, 0x5a5, 0);
    check(0, "system_suspend returned instead of resuming at resume_addr");
    return failures();
}
