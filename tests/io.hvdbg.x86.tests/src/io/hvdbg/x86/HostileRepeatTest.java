/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;

/**
 * Hostile program 102 (HostileGuests, seed 1) seemed to give a few more or fewer exits after
 * other machines had run in the JVM. The core was not at fault: the program's SCAS instructions
 * walk from the multiboot information at 0x9000 into the command line at 0x9400, which starts
 * with the kernel's path (as QEMU's), and the harness gave every run a random temp-file name.
 * These tests pin both halves: the guest sees its kernel path, and with the same image at the
 * same path a run repeats exactly whatever machines ran before it.
 */
class HostileRepeatTest {
    /** HostileGuests' x86 program 102 for seed 1: mov [0x9323ed2f], al; scas; scas; push; jnp; jl ... */
    private static final byte[] PROGRAM_102 = HexFormat.of().parseHex(
            "48b82fed2393000000008800afaf685ae757bb7bcd7cd772865f63ddab441bbde248b80cd26a6f0000000088004a1a78"
            + "589baf922e1609c7bb48b83b0ec0fe00000000880048455e14a548b86a02c0fe00000000880044baab8b6d4abea234b1"
            + "a6ff46b968690d788cc2a767bfad85f31ffb00e8010948b8fbff3f0000000000880044a38278f7823247d6d19e90da6e"
            + "c0eb48b8590ae0fe000000008a005a6d8d4b108acf31e4d73903fa2a4c9148b80502c0fe000000008a0000f24e3022e0"
            + "ba115c4888b98d21eb499a4411acd448b88605e0fe0000000088004ebeb78e6f9a1c48b800004000000000008a00076b"
            + "cc84aa8f067f0f5c48b86b01e0fe000000008a0072c7eaa50c219358c179ff180c55ba74db1383d320eaf045c9a3f616"
            + "02b148b8d645e6ebd95152a68a0093e8166fe46212901cac49ce853e24a17088d02bfb5b2ac048b80e22092100000000"
            + "8a0080920b5b05a83460900f");

    @TempDir
    Path dir;

    @Test
    void multibootCommandLineStartsWithTheKernelPath() throws Exception {
        Path kernel = write("kernel-a.elf", PROGRAM_102);
        VirtualMachine vm = new X86MachineFactory().create(config(kernel).withAppend("x=1"));
        try {
            String expected = kernel + " x=1";
            byte[] cmdline = new byte[expected.length() + 1];
            vm.memory().read(0x9400, cmdline, 0, cmdline.length);
            assertEquals(expected + "\0", new String(cmdline, StandardCharsets.UTF_8),
                    "the guest reads its kernel's path: a harness must keep it fixed for repeatable runs");
        } finally {
            vm.terminate();
        }
    }

    @Test
    void sameImageAtSamePathRepeatsAfterOtherMachines() throws Exception {
        Path kernel = write("hostile-102.elf", PROGRAM_102);
        String alone = run(kernel);
        // Other machines first, as in HostileGuests: random programs, some left running at terminate().
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 12; i++) {
            byte[] code = new byte[256 + random.nextInt(768)];
            random.nextBytes(code);
            Path other = write("other-" + i + ".elf", code);
            if (i % 3 == 0) {
                VirtualMachine vm = new X86MachineFactory().create(config(other));
                vm.resume();
                vm.terminate(); // a machine ended while its thread may still be running
            } else {
                run(other);
            }
        }
        assertEquals(alone, run(kernel));
        assertEquals(alone, run(kernel));
    }

    private Path write(String name, byte[] code) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, elf64(0x200000, code));
        return p;
    }

    private static VmConfig config(Path kernel) {
        return VmConfig.defaults(Architecture.X86_64).withMemoryMiB(4).withTraceBytes(1 << 22).withKernel(kernel);
    }

    /** Runs 20,000 ns of guest time (HostileGuests' budget); returns the counts and every exit. */
    private static String run(Path kernel) throws Exception {
        VirtualMachine vm = new X86MachineFactory().create(config(kernel));
        try {
            vm.setStopWhenIdleForever(true);
            vm.setGuestTimeLimit(20_000);
            StopEvent stop = vm.runUntilStop(10_000);
            assertNull(vm.lastInternalError());
            StringBuilder s = new StringBuilder();
            s.append(stop == null ? "timeout" : stop.reason() == StopReason.PAUSED ? "running" : stop.reason())
                    .append(", ").append(vm.vcpu(0).instructions()).append(" instructions, ")
                    .append(vm.trace().nextSeq()).append(" exits\n");
            vm.trace().read(0, Long.MAX_VALUE, (seq, vcpu, reason, time, duration, pc, q, info2, context) -> {
                s.append(seq).append(' ').append(reason).append(' ').append(time).append(' ')
                        .append(Long.toHexString(pc)).append(' ').append(Long.toHexString(q)).append(' ')
                        .append(Long.toHexString(info2)).append('\n');
                return true;
            });
            return s.toString();
        } finally {
            vm.terminate();
        }
    }

    /** An ELF64 executable with one RWX segment holding {@code code} at {@code base}, entry at its start. */
    private static byte[] elf64(long base, byte[] code) {
        int ehsize = 64, phsize = 56, offset = 0x1000;
        ByteBuffer b = ByteBuffer.allocate(offset + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 62).putInt(1).putLong(base).putLong(ehsize).putLong(0);
        b.putInt(0).putShort((short) ehsize).putShort((short) phsize).putShort((short) 1)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(7).putLong(offset).putLong(base).putLong(base).putLong(code.length)
                .putLong(Math.max(code.length, 0x1000)).putLong(0x1000);
        b.position(offset);
        b.put(code);
        return b.array();
    }
}
