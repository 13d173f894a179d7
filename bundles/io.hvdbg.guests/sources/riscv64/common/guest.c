/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
#include "guest.h"

int (*trap_hook)(struct frame *f, u64 scause, u64 stval);
volatile u64 last_scause, last_stval, trap_count;
static int failed;

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2, long a3)
{
    register long r0 __asm__("a0") = a0;
    register long r1 __asm__("a1") = a1;
    register long r2 __asm__("a2") = a2;
    register long r3 __asm__("a3") = a3;
    register long r6 __asm__("a6") = fid;
    register long r7 __asm__("a7") = ext;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r3), "r"(r6), "r"(r7) : "memory");
    struct sbiret r = { r0, r1 };
    return r;
}

void putc(char c)
{
    while (!(UART0[5] & 0x20))
        ;
    UART0[0] = c;
}

void puts(const char *s)
{
    while (*s)
        putc(*s++);
}

void put_hex(u64 v)
{
    puts("0x");
    int started = 0;
    for (int i = 60; i >= 0; i -= 4) {
        int d = (v >> i) & 15;
        if (d || started || i == 0) {
            putc("0123456789abcdef"[d]);
            started = 1;
        }
    }
}

void put_dec(s64 v)
{
    char buf[24];
    int n = 0;
    u64 u = v < 0 ? -(u64)v : (u64)v;
    if (v < 0)
        putc('-');
    do {
        buf[n++] = '0' + u % 10;
        u /= 10;
    } while (u);
    while (n)
        putc(buf[--n]);
}

void print(const char *label, u64 hex)
{
    puts(label);
    put_hex(hex);
    putc('\n');
}

void check(int ok, const char *what)
{
    puts(ok ? "ok   " : "FAIL ");
    puts(what);
    putc('\n');
    if (!ok)
        failed++;
}

int failures(void)
{
    return failed;
}

void guest_exit(int status)
{
    if (failed && !status)
        status = 1;
    puts(status ? "guest: FAILED\n" : "guest: PASSED\n");
    sbi_call(SBI_EXT_SRST, 0, 0, status ? 1 : 0, 0, 0);
    for (;;)
        ;
}

void sbi_hart_stop(void)
{
    sbi_call(SBI_EXT_HSM, 1, 0, 0, 0, 0);
}

void sbi_set_timer(u64 ticks)
{
    sbi_call(SBI_EXT_TIME, 0, ticks, 0, 0, 0);
}

void trap_handler(struct frame *f)
{
    u64 scause = csr_read(scause);
    u64 stval = csr_read(stval);
    last_scause = scause;
    last_stval = stval;
    trap_count++;
    if (trap_hook && trap_hook(f, scause, stval))
        return;
    puts("guest: unexpected trap scause=");
    put_hex(scause);
    puts(" stval=");
    put_hex(stval);
    puts(" sepc=");
    put_hex(f->sepc);
    putc('\n');
    failed++;
    guest_exit(1);
}
