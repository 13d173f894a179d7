/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * CPU-bound benchmark guest: a prime sieve, a hash over memory and a small sort, repeated
 * ROUNDS times (command line "rounds=N"); prints a checksum so runs can be compared, then
 * exits through isa-debug-exit with 0. Runs the same under QEMU TCG for comparison.
 */
#include "lib.h"

#define N 65536
static u8 sieve[N];
static u32 data[4096];

static u32 run_round(u32 seed)
{
    u32 primes = 0;
    memset(sieve, 1, N);
    for (u32 i = 2; i < N; i++) {
        if (!sieve[i])
            continue;
        primes++;
        for (u32 j = i * 2; j < N; j += i)
            sieve[j] = 0;
    }
    u32 h = seed ^ primes;
    for (u32 i = 0; i < 4096; i++) {
        h = (h ^ i) * 0x01000193u;
        data[i] = h;
    }
    /* insertion sort of a slice */
    for (u32 i = 1; i < 512; i++) {
        u32 v = data[i];
        int j = (int)i - 1;
        while (j >= 0 && data[j] > v) {
            data[j + 1] = data[j];
            j--;
        }
        data[j + 1] = v;
    }
    return h ^ data[0] ^ data[511];
}

static u32 parse_rounds(const char *cmd)
{
    for (const char *p = cmd; *p; p++) {
        if (p[0] == 'r' && p[1] == 'o' && p[2] == 'u' && p[3] == 'n' && p[4] == 'd' && p[5] == 's' && p[6] == '=') {
            u32 n = 0;
            for (p += 7; *p >= '0' && *p <= '9'; p++)
                n = n * 10 + (u32)(*p - '0');
            return n;
        }
    }
    return 20;
}

int main(u32 mbinfo)
{
    const char *cmdline = (const char *)(ulong) * (u32 *)(ulong)(mbinfo + 16);
    u32 rounds = parse_rounds(cmdline);
    u32 sum = 0;
    u64 t0 = rdtsc();
    for (u32 r = 0; r < rounds; r++)
        sum += run_round(r);
    u64 t1 = rdtsc();
    puts("bench: rounds ");
    put_dec(rounds);
    puts(" checksum ");
    put_hex(sum);
    puts(" tsc ");
    put_dec(t1 - t0);
    puts("\n");
    return 0;
}
