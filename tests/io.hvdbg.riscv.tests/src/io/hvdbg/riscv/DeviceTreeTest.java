/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.vcpu.VcpuState;

/** The device tree the machine builds in Java, read back from guest memory with a small FDT parser. */
class DeviceTreeTest {
    @TempDir
    Path dir;

    /** Flattens a DTB into "path:property" -> value bytes. */
    static Map<String, byte[]> parse(byte[] b) {
        Map<String, byte[]> out = new HashMap<>();
        assertEquals(0xd00dfeed, be32(b, 0), "FDT magic");
        int structOff = be32(b, 8);
        int stringsOff = be32(b, 12);
        String path = "";  // "/" after the root node begins
        int p = structOff;
        while (true) {
            int token = be32(b, p);
            p += 4;
            if (token == 1) {
                int e = p;
                while (b[e] != 0) {
                    e++;
                }
                String name = new String(b, p, e - p, StandardCharsets.US_ASCII);
                path = path.equals("/") ? "/" + name : path + "/" + name;
                p = (e + 4) & ~3;
            } else if (token == 3) {
                int len = be32(b, p);
                int nameOff = be32(b, p + 4);
                int e = stringsOff + nameOff;
                while (b[e] != 0) {
                    e++;
                }
                String name = new String(b, stringsOff + nameOff, e - stringsOff - nameOff, StandardCharsets.US_ASCII);
                byte[] v = new byte[len];
                System.arraycopy(b, p + 8, v, 0, len);
                out.put(path + ":" + name, v);
                p = (p + 8 + len + 3) & ~3;
            } else if (token == 2) {
                path = path.lastIndexOf('/') == 0 ? (path.equals("/") ? "" : "/") : path.substring(0, path.lastIndexOf('/'));
            } else if (token == 9) {
                return out;
            } else {
                throw new AssertionError("bad FDT token " + token);
            }
        }
    }

    static int be32(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    static long be64(byte[] b, int o) {
        return ((long) be32(b, o) << 32) | (be32(b, o + 4) & 0xFFFF_FFFFL);
    }

    static String str(byte[] v) {
        return new String(v, 0, v.length - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void perVcpuIsaConfiguration() throws Exception {
        RiscvMachine m = (RiscvMachine) new RiscvMachineFactory().create(GuestRun.config("demo.elf").withSmp(2)
                .withIsa("rv64imafdc_zicsr_zba_zbb").withOption("isa.1", "rv64imac_zicsr_zabha"));
        byte[] head = new byte[8];
        m.memory().read(m.fdtAddress(), head, 0, 8);
        byte[] blob = new byte[be32(head, 4)];
        m.memory().read(m.fdtAddress(), blob, 0, blob.length);
        Map<String, byte[]> t = parse(blob);
        assertEquals("rv64imafdc_zicsr_zba_zbb", str(t.get("/cpus/cpu@0:riscv,isa")));
        assertEquals("rv64imac_zicsr_zabha", str(t.get("/cpus/cpu@1:riscv,isa")));
        assertEquals("rv64imac_zicsr_zabha", m.hart(1).isa().isaString());
        assertTrue(m.features(1).bits().stream().anyMatch(b -> b.name().equals("zabha") && b.effective()));
        assertTrue(m.features(0).bits().stream().anyMatch(b -> b.name().equals("zabha") && !b.effective()));
    }

    @Test
    void treeDescribesMachineIsaInitrdAndBootargs() throws Exception {
        Path initrd = dir.resolve("initrd.cpio");
        byte[] payload = new byte[5000];
        payload[0] = 0x30;
        Files.write(initrd, payload);
        RiscvMachine m = (RiscvMachine) new RiscvMachineFactory().create(GuestRun.config("demo.elf").withSmp(2)
                .withIsa("rv64imac_zicsr_zba_zabha_svvptc").withInitrd(initrd).withAppend("console=ttyS0 quiet"));
        long fdtAddr = m.fdtAddress();
        assertEquals(fdtAddr, m.hart(0).hart().x[11], "a1 = FDT on the boot hart");
        assertEquals(0, m.hart(0).hart().x[10], "a0 = hart id");
        assertEquals(VcpuState.STOPPED, m.vcpu(1).state(), "secondary harts wait for HSM hart_start");
        byte[] head = new byte[8];
        m.memory().read(fdtAddr, head, 0, 8);
        byte[] blob = new byte[be32(head, 4)];
        m.memory().read(fdtAddr, blob, 0, blob.length);
        Map<String, byte[]> t = parse(blob);
        assertEquals("console=ttyS0 quiet", str(t.get("/chosen:bootargs")));
        assertEquals("/soc/serial@10000000", str(t.get("/chosen:stdout-path")));
        long start = be64(t.get("/chosen:linux,initrd-start"), 0);
        long end = be64(t.get("/chosen:linux,initrd-end"), 0);
        assertEquals(5000, end - start);
        byte[] copy = new byte[5000];
        m.memory().read(start, copy, 0, 5000);
        assertArrayEquals(payload, copy, "the initrd is in guest memory where chosen says");
        assertEquals(0x80000000L, be64(t.get("/memory@80000000:reg"), 0));
        assertEquals(64L << 20, be64(t.get("/memory@80000000:reg"), 8));
        assertEquals(10_000_000, be32(t.get("/cpus:timebase-frequency"), 0));
        for (int cpu = 0; cpu < 2; cpu++) {
            assertEquals("rv64imac_zicsr_zabha_zba_svvptc", str(t.get("/cpus/cpu@" + cpu + ":riscv,isa")));
            assertEquals("i\0m\0a\0c\0zicsr\0zabha\0zba\0svvptc\0",
                    new String(t.get("/cpus/cpu@" + cpu + ":riscv,isa-extensions"), StandardCharsets.US_ASCII));
        }
        assertEquals("ns16550a", str(t.get("/soc/serial@10000000:compatible")));
        assertEquals(10, be32(t.get("/soc/serial@10000000:interrupts"), 0));
        assertTrue(t.containsKey("/soc/plic@c000000:interrupt-controller"));
        assertEquals(4 * 4, t.get("/soc/plic@c000000:interrupts-extended").length, "one S-mode context per hart");
    }
}
