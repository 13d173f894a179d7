/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import java.util.Map;
import java.util.TreeMap;

import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.tlb.TlbModel;

/**
 * The second {@code --stats} table: hypervisor TLB flush requests and the flushes that happened,
 * by cause, summed over the vCPUs. Uses only the core's {@link TlbModel}, so any architecture's
 * machine can be printed with it.
 */
public final class TlbStatisticsTable {
    private TlbStatisticsTable() {
    }

    public static String format(VirtualMachine vm) {
        Map<String, Long> requests = new TreeMap<>();
        Map<String, Long> flushes = new TreeMap<>();
        String settings = "";
        for (int i = 0; i < vm.vcpuCount(); i++) {
            TlbModel t = vm.tlb(i);
            if (t == null) {
                continue;
            }
            t.requestsByCause().forEach((k, v) -> requests.merge(k, v, Long::sum));
            t.flushesByCause().forEach((k, v) -> flushes.merge(k, v, Long::sum));
            if (i == 0) {
                String pge = t.properties().get("amd-cr4-pge-flush");
                settings = pge == null ? "" : " (amd-cr4-pge-flush: " + pge + ")";
            }
        }
        int width = 40;
        for (String k : requests.keySet()) {
            width = Math.max(width, k.length());
        }
        for (String k : flushes.keySet()) {
            width = Math.max(width, k.length());
        }
        String row = "%" + width + "s %10d%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n%" + width + "s %10s%n", "TLB FLUSH REQUEST (hypervisor)" , "Count"));
        long total = 0;
        for (var e : requests.entrySet()) {
            sb.append(String.format(row, e.getKey(), e.getValue()));
            total += e.getValue();
        }
        sb.append(String.format("%nTotal flush requests:%d%s%n", total, settings));
        sb.append(String.format("%n%" + width + "s %10s%n", "TLB FLUSH (architectural and hardware)", "Count"));
        total = 0;
        for (var e : flushes.entrySet()) {
            sb.append(String.format(row, e.getKey(), e.getValue()));
            total += e.getValue();
        }
        sb.append(String.format("%nTotal flushes:%d%n", total));
        return sb.toString();
    }
}
