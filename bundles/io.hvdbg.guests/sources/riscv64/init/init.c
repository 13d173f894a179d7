/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * /init of the riscv64 test initramfs: prints from userspace on the console, then powers the
 * machine off with reboot(2) - which Linux turns into SBI SRST shutdown. Raw syscalls, no libc.
 */
#define SYS_write 64
#define SYS_exit 93
#define SYS_reboot 142

static long syscall3(long n, long a, long b, long c)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static long syscall4(long n, long a, long b, long c, long d)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a7) : "memory");
    return a0;
}

void _start(void)
{
    static const char msg[] = "hvdbg init: hello from userspace, powering off\n";
    syscall3(SYS_write, 1, (long)msg, sizeof(msg) - 1);
    /* LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF */
    syscall4(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0);
    syscall3(SYS_exit, 1, 0, 0);
    for (;;)
        ;
}
