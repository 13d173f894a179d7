/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.boot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.hvdbg.core.memory.GuestMemory;
import io.hvdbg.core.memory.LittleEndian;
import io.hvdbg.x86.dev.IoApic;
import io.hvdbg.x86.dev.LocalApic;
import io.hvdbg.x86.dev.PmTimer;

/**
 * ACPI tables in the BIOS area, where guests written for QEMU's pc machine look for them: the
 * RSDP on a 16-byte boundary in 0xE0000-0xFFFFF, RSDT and XSDT, a FADT with the PM timer at
 * 0x608 and PM1 blocks at 0x600, an empty DSDT, a FACS, and a MADT as QEMU's pc machine builds
 * it: one local APIC per vCPU, the IOAPIC (id 0, GSI base 0), the interrupt source overrides
 * IRQ 0 to GSI 2 and the PCI IRQs 5, 9, 10, 11 as level/active-high, and LINT1 as NMI on all CPUs.
 */
public final class AcpiTables {
    /** Where the tables start (the RSDP comes first, so a scan from 0xE0000 finds it at once). */
    public static final long BASE = 0xE0000;
    public static final long END = 0x100000;
    private static final String OEM_ID = "HVDBG ";
    private static final String OEM_TABLE = "HVDBGPC ";

    private AcpiTables() {
    }

    /** Writes the tables for {@code cpus} vCPUs; returns the RSDP address. */
    public static long install(GuestMemory memory, int cpus) {
        long rsdp = BASE;
        long facs = BASE + 0x40;
        long dsdt = BASE + 0x80;
        long fadt = BASE + 0x100;
        long madt = BASE + 0x200;
        long rsdt = BASE + 0x600;
        long xsdt = BASE + 0x640;

        byte[] facsBytes = new byte[64];
        ascii(facsBytes, 0, "FACS");
        LittleEndian.putI32(facsBytes, 4, 64);
        memory.write(facs, facsBytes, 0, 64);

        byte[] dsdtBytes = header("DSDT", 36, 2);
        finish(dsdtBytes);
        memory.write(dsdt, dsdtBytes, 0, dsdtBytes.length);

        byte[] f = header("FACP", 244, 3);
        LittleEndian.putI32(f, 36, (int) facs);
        LittleEndian.putI32(f, 40, (int) dsdt);
        f[45] = 0; // preferred PM profile: unspecified
        LittleEndian.putU16(f, 46, 9); // SCI interrupt
        LittleEndian.putI32(f, 56, 0x600); // PM1a event block
        LittleEndian.putI32(f, 64, 0x604); // PM1a control block
        LittleEndian.putI32(f, 76, PmTimer.PORT); // PM timer block
        f[88] = 4; // PM1 event length
        f[89] = 2; // PM1 control length
        f[91] = 4; // PM timer length
        LittleEndian.putI32(f, 112, (1 << 4) | (1 << 5)); // flags: power/sleep button as control method... none fixed
        LittleEndian.putI64(f, 132, facs); // X_FIRMWARE_CTRL
        LittleEndian.putI64(f, 140, dsdt); // X_DSDT
        gas(f, 208, 1, 32, PmTimer.PORT); // X_PM_TMR_BLK
        gas(f, 148, 1, 32, 0x600); // X_PM1a_EVT_BLK
        gas(f, 172, 1, 16, 0x604); // X_PM1a_CNT_BLK
        finish(f);
        memory.write(fadt, f, 0, f.length);

        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        for (int i = 0; i < cpus; i++) {
            entries.writeBytes(new byte[] {0, 8, (byte) i, (byte) i, 1, 0, 0, 0});
        }
        byte[] io = new byte[12];
        io[0] = 1;
        io[1] = 12;
        io[2] = 0; // QEMU's ACPI_BUILD_IOAPIC_ID, also what the IOAPIC's ID register reads
        LittleEndian.putI32(io, 4, (int) IoApic.BASE);
        entries.writeBytes(io);
        entries.writeBytes(new byte[] {2, 10, 0, 0, 2, 0, 0, 0, 0, 0}); // ISA IRQ0 -> GSI 2, bus defaults
        for (int irq : new int[] {5, 9, 10, 11}) {
            // PCI interrupt lines: level-triggered (bits 3:2 = 3), active high (bits 1:0 = 1)
            entries.writeBytes(new byte[] {2, 10, 0, (byte) irq, (byte) irq, 0, 0, 0, 0x0D, 0});
        }
        entries.writeBytes(new byte[] {4, 6, (byte) 0xFF, 0, 0, 1}); // local APIC NMI: all CPUs, LINT1
        byte[] e = entries.toByteArray();
        byte[] m = header("APIC", 44 + e.length, 1);
        LittleEndian.putI32(m, 36, (int) LocalApic.DEFAULT_BASE);
        LittleEndian.putI32(m, 40, 1); // PCAT_COMPAT: 8259s present
        System.arraycopy(e, 0, m, 44, e.length);
        finish(m);
        memory.write(madt, m, 0, m.length);

        byte[] r = header("RSDT", 36 + 8, 1);
        LittleEndian.putI32(r, 36, (int) fadt);
        LittleEndian.putI32(r, 40, (int) madt);
        finish(r);
        memory.write(rsdt, r, 0, r.length);

        byte[] x = header("XSDT", 36 + 16, 1);
        LittleEndian.putI64(x, 36, fadt);
        LittleEndian.putI64(x, 44, madt);
        finish(x);
        memory.write(xsdt, x, 0, x.length);

        byte[] p = new byte[36];
        ascii(p, 0, "RSD PTR ");
        ascii(p, 9, OEM_ID);
        p[15] = 2; // ACPI 2.0+
        LittleEndian.putI32(p, 16, (int) rsdt);
        LittleEndian.putI32(p, 20, 36);
        LittleEndian.putI64(p, 24, xsdt);
        p[8] = checksum(p, 0, 20);
        p[32] = checksum(p, 0, 36);
        memory.write(rsdp, p, 0, p.length);
        return rsdp;
    }

    private static byte[] header(String signature, int length, int revision) {
        byte[] b = new byte[length];
        ascii(b, 0, signature);
        LittleEndian.putI32(b, 4, length);
        b[8] = (byte) revision;
        ascii(b, 10, OEM_ID);
        ascii(b, 16, OEM_TABLE);
        LittleEndian.putI32(b, 24, 1);
        ascii(b, 28, "HVDB");
        LittleEndian.putI32(b, 32, 1);
        return b;
    }

    /** Generic address structure: address space (1 = I/O), register bit width, address. */
    private static void gas(byte[] b, int off, int space, int bits, long address) {
        b[off] = (byte) space;
        b[off + 1] = (byte) bits;
        b[off + 3] = (byte) (bits == 32 ? 3 : 2);
        LittleEndian.putI64(b, off + 4, address);
    }

    private static void finish(byte[] table) {
        table[9] = 0;
        table[9] = checksum(table, 0, table.length);
    }

    private static byte checksum(byte[] b, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += b[i];
        }
        return (byte) -sum;
    }

    private static void ascii(byte[] b, int off, String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 0, b, off, a.length);
    }
}
