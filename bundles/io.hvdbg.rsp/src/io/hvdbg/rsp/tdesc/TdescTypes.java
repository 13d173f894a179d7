/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.tdesc;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The register types a target description may name: gdb's predefined types, the size
 * shortcuts {@code int}/{@code float}, and the compound types (flags, vectors, unions) of
 * gdb's own i386 and RISC-V feature files, whose definitions must be written into every
 * feature that uses them (gdb looks types up per feature).
 */
public final class TdescTypes {
    /** Types gdb knows without a definition (gdb/target-descriptions.c, tdesc_predefined_types). */
    private static final Set<String> PREDEFINED = Set.of("bool", "int8", "int16", "int24", "int32", "int64",
            "int128", "uint8", "uint16", "uint24", "uint32", "uint64", "uint128", "code_ptr", "data_ptr",
            "ieee_half", "ieee_single", "ieee_double", "arm_fpa_ext", "i387_ext", "bfloat16", "int", "float");

    private record Definition(List<String> needs, String xml) {
    }

    private static final Map<String, Definition> COMPOUND = Map.ofEntries(
            Map.entry("i386_eflags", new Definition(List.of(), flags("i386_eflags", 4,
                    "CF:0", ":1", "PF:2", "AF:4", "ZF:6", "SF:7", "TF:8", "IF:9", "DF:10", "OF:11", "NT:14", "RF:16",
                    "VM:17", "AC:18", "VIF:19", "VIP:20", "ID:21"))),
            Map.entry("i386_mxcsr", new Definition(List.of(), flags("i386_mxcsr", 4,
                    "IE:0", "DE:1", "ZE:2", "OE:3", "UE:4", "PE:5", "DAZ:6", "IM:7", "DM:8", "ZM:9", "OM:10", "UM:11",
                    "PM:12", "FZ:15"))),
            Map.entry("i386_cr0", new Definition(List.of(), flags("i386_cr0", 8,
                    "PE:0", "MP:1", "EM:2", "TS:3", "ET:4", "NE:5", "WP:16", "AM:18", "NW:29", "CD:30", "PG:31"))),
            Map.entry("i386_cr3", new Definition(List.of(), flags("i386_cr3", 8, "PWT:3", "PCD:4"))),
            Map.entry("i386_cr4", new Definition(List.of(), flags("i386_cr4", 8,
                    "VME:0", "PVI:1", "TSD:2", "DE:3", "PSE:4", "PAE:5", "MCE:6", "PGE:7", "PCE:8", "OSFXSR:9",
                    "OSXMMEXCPT:10", "UMIP:11", "LA57:12", "VMXE:13", "SMXE:14", "FSGSBASE:16", "PCIDE:17",
                    "OSXSAVE:18", "KL:19", "SMEP:20", "SMAP:21", "PKE:22", "CET:23", "PKS:24"))),
            Map.entry("i386_efer", new Definition(List.of(), flags("i386_efer", 8,
                    "SCE:0", "LME:8", "LMA:10", "NXE:11", "SVME:12", "LMSLE:13", "FFXSR:14", "TCE:15"))),
            Map.entry("v4f", new Definition(List.of(), "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>")),
            Map.entry("v2d", new Definition(List.of(), "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>")),
            Map.entry("v16i8", new Definition(List.of(), "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>")),
            Map.entry("v8i16", new Definition(List.of(), "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>")),
            Map.entry("v4i32", new Definition(List.of(), "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>")),
            Map.entry("v2i64", new Definition(List.of(), "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>")),
            Map.entry("vec128", new Definition(List.of("v4f", "v2d", "v16i8", "v8i16", "v4i32", "v2i64"),
                    "<union id=\"vec128\">\n"
                            + "  <field name=\"v4_float\" type=\"v4f\"/>\n"
                            + "  <field name=\"v2_double\" type=\"v2d\"/>\n"
                            + "  <field name=\"v16_int8\" type=\"v16i8\"/>\n"
                            + "  <field name=\"v8_int16\" type=\"v8i16\"/>\n"
                            + "  <field name=\"v4_int32\" type=\"v4i32\"/>\n"
                            + "  <field name=\"v2_int64\" type=\"v2i64\"/>\n"
                            + "  <field name=\"uint128\" type=\"uint128\"/>\n"
                            + "</union>")),
            Map.entry("riscv_double", new Definition(List.of(),
                    "<union id=\"riscv_double\">\n"
                            + "  <field name=\"float\" type=\"ieee_single\"/>\n"
                            + "  <field name=\"double\" type=\"ieee_double\"/>\n"
                            + "</union>")));

    private TdescTypes() {
    }

    private static String flags(String id, int size, String... fields) {
        StringBuilder sb = new StringBuilder();
        sb.append("<flags id=\"").append(id).append("\" size=\"").append(size).append("\">\n");
        for (String f : fields) {
            int c = f.indexOf(':');
            String bit = f.substring(c + 1);
            sb.append("  <field name=\"").append(f, 0, c).append("\" start=\"").append(bit).append("\" end=\"")
                    .append(bit).append("\"/>\n");
        }
        return sb.append("</flags>").toString();
    }

    /** True if gdb knows the type without a definition. */
    public static boolean isPredefined(String type) {
        return PREDEFINED.contains(type);
    }

    /** True if this catalog can define the type. */
    public static boolean isKnownCompound(String type) {
        return COMPOUND.containsKey(type);
    }

    /** True if a description may use the type (predefined or definable). */
    public static boolean isUsable(String type) {
        return isPredefined(type) || isKnownCompound(type);
    }

    /** The definitions (dependencies first) a feature using {@code types} needs, as XML snippets. */
    public static List<String> definitionsFor(Iterable<String> types) {
        Set<String> ordered = new LinkedHashSet<>();
        for (String t : types) {
            addWithDependencies(t, ordered);
        }
        return ordered.stream().map(t -> COMPOUND.get(t).xml()).toList();
    }

    private static void addWithDependencies(String type, Set<String> out) {
        Definition d = COMPOUND.get(type);
        if (d == null || out.contains(type)) {
            return;
        }
        for (String n : d.needs()) {
            addWithDependencies(n, out);
        }
        out.add(type);
    }
}
