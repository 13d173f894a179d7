/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.tdesc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.vcpu.RegisterDescriptor;

/**
 * Renders {@code target.xml} from a vCPU's register list: one {@code <feature>} per feature
 * name, in the order features first appear, each holding its registers with their gdb
 * numbers ({@code regnum}, which is what {@code p}/{@code P} and the {@code g} layout use)
 * and the definitions of the compound types they name.
 *
 * <p>The description is a function of the register list only, and the core keeps that list
 * fixed for the life of the VM, so gdb's view never changes while the guest switches between
 * real, protected and long mode (x86-64 registers stay 64 bits wide throughout; a 32-bit
 * guest simply leaves the upper halves zero). A type the catalog cannot define is written as
 * the sized {@code int} shortcut, so gdb never rejects the description.
 */
public final class TargetDescriptionWriter {
    private TargetDescriptionWriter() {
    }

    /** The complete target description document. */
    public static String render(Architecture architecture, List<RegisterDescriptor> registers) {
        Map<String, List<RegisterDescriptor>> features = new LinkedHashMap<>();
        for (RegisterDescriptor r : registers) {
            features.computeIfAbsent(r.feature() == null || r.feature().isBlank() ? defaultFeature(architecture)
                    : r.feature(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        sb.append("<architecture>").append(architecture.gdbArchitecture()).append("</architecture>\n");
        for (Map.Entry<String, List<RegisterDescriptor>> f : features.entrySet()) {
            sb.append("<feature name=\"").append(escape(f.getKey())).append("\">\n");
            Set<String> types = new LinkedHashSet<>();
            for (RegisterDescriptor r : f.getValue()) {
                types.add(r.type());
            }
            for (String def : TdescTypes.definitionsFor(types)) {
                for (String line : def.split("\n")) {
                    sb.append("  ").append(line).append('\n');
                }
            }
            for (RegisterDescriptor r : f.getValue()) {
                String type = r.type() != null && TdescTypes.isUsable(r.type()) ? r.type() : "int";
                sb.append("  <reg name=\"").append(escape(r.name())).append("\" bitsize=\"").append(r.bitSize())
                        .append("\" type=\"").append(escape(type)).append("\" regnum=\"").append(r.regnum())
                        .append('"');
                if (r.group() != null && !r.group().isBlank()) {
                    sb.append(" group=\"").append(escape(r.group())).append('"');
                }
                sb.append("/>\n");
            }
            sb.append("</feature>\n");
        }
        sb.append("</target>\n");
        return sb.toString();
    }

    private static String defaultFeature(Architecture a) {
        return a == Architecture.X86_64 ? "org.gnu.gdb.i386.core" : "org.gnu.gdb.riscv.cpu";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
