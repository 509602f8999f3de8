package dev.vigil.camel.collect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.alert.FleetRecord;
import dev.vigil.alert.Json;
import dev.vigil.alert.Report;
import dev.vigil.alert.ReportParts;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.fleet.FleetKind;
import dev.vigil.fleet.SealHistory;
import dev.vigil.fleet.StoreShares;
import dev.vigil.fleet.UnreadableRecords;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code fleetRecords} bean of routes/collect/fleet.yaml: checks each record a host published (the wire format of
 * docs/ARCHITECTURE.md, "Fleet wire format") and shapes what the routes store. A record is hostile input: its
 * size is bounded, its host name must be a plain name with a key ({@code vigil.collect.hostKey.<host>}), its
 * signature must be that key's HMAC ({@link WebhookSigner#verify(String, String, String, Instant, Duration)}, the
 * scheme the webhook channel signs with) and its JSON must parse; any failure sets {@link #QUARANTINE} to the
 * reason, and the route keeps the record in the quarantine table with a REJECTED finding instead of storing it.
 */
public final class FleetRecords {

    /** The header naming why a record is quarantined; absent on a record that passed. */
    public static final String QUARANTINE = "fleetQuarantine";
    /** The header with the checked host name (the record's key). */
    public static final String HOST = "fleetHost";
    /** The header with the id a report record is processed under ({@link #processedId}). */
    public static final String PROCESSED_ID = "fleetProcessedId";



    /**
     * The key of the finding a findings row made here was made from (no column: the SQL names its parameters), so
     * the report pipeline gets it without parsing the row's JSON again.
     */
    private static final String MADE_FROM = "madeFrom";
    /** The header with the time a renewal gives the rows it renews ({@link #renewal}). */
    static final String RENEWED_AT = "fleetRenewedAt";
    /** The seal change a BASELINE_TAMPERED row of {@link #tampered} stands for (no column either). */
    private static final String SEAL_CHANGE = "sealChange";
    /** The bytes of a host's finding's JSON, in a findings row of a report (no column either: {@link #shareAdditions}). */
    private static final String JSON_BYTES = "jsonBytes";

    /**
     * How many findings one look-up of an {@code unforwarded} row's findings names: well below the bound parameters a
     * statement may have (SQLite 32,766, PostgreSQL 65,535), and a poll carries at most 2,000 reports of any number
     * of findings.
     */
    public static final int IDS_PER_LOOKUP = 1000;

    /**
     * The most bytes of record values in a part of a poll ({@link #parts}): a poll of small reports (2,000 of a
     * finding each, 1 MB) is one part; a part of full records about 25,000 findings, which a collector of 160 MB
     * checks and stores beside the rest of a poll (FullPollsTest).
     */
    static final int PART_BYTES = 4 * 1024 * 1024;

    /** How much of a quarantined record, and of any one header or name, is kept. */
    static final int KEPT_BYTES = 64 * 1024;
    static final int KEPT_HEADER = 1024;
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,253}");
    /**
     * The most of a seal kept (a heartbeat's, an ACCEPTED finding's): a host's is 64 hex digits. Cut the same way
     * wherever it comes from, so a longer one still compares, and a BASELINE_TAMPERED id naming it fits the findings
     * table's id (400).
     */
    static final int KEPT_SEAL = 100;
    /** What a NUL in a column's text is stored as ({@link #storable}): PostgreSQL refuses NUL in text. */
    private static final String REPLACED_NUL = "\uFFFD";
    /** The most of a finding's kind its column holds; the finding's JSON keeps it whole. */
    private static final int KEPT_KIND = 64;
    /** The most of a heartbeat's sentAt the seal history's column holds. */
    private static final int KEPT_SENT_AT = 64;

    private final Function<String, Optional<String>> hostKeys;
    /**
     * The hosts seen with their signers, by name: the key looked up in the configuration and its MAC initialised once
     * per host, not per record (Camel's property resolution was a tenth of the reports consumer's samples in a
     * flood; bench/README.md). Only hosts with a key are kept, so unknown names a hostile record claims add nothing.
     */
    private final Map<String, KnownHost> knownHosts = new ConcurrentHashMap<>();

    /**
     * A host with a key: its name (one string however many of its findings are pooled), its signer, and the digest
     * its reports are processed under ({@link #processedId}), made once per host rather than per report.
     */
    private record KnownHost(String name, WebhookSigner signer, String digest) {
        KnownHost(String name, WebhookSigner signer) {
            this(name, signer, hostDigest(name));
        }
    }

    /**
     * The kinds Vigil's sources make, each one string: a finding parsed from a record has its own copy of its kind
     * and of its host's name, and a flood pools findings for a whole holdoff (150 to 200 bytes a finding of the
     * collector's live heap, 40 MB of a flood's peak RSS; bench/README.md). A kind a host made up keeps its own.
     */
    private static final Map<String, String> KINDS = EventLog.KINDS.values().stream().flatMap(List::stream).distinct()
            .collect(Collectors.toUnmodifiableMap(Function.identity(), Function.identity()));

    private final Duration maxAge;
    private final int maxRecord;
    private final long quarantineMax;
    private final Duration silence;
    /** When this collector started: its silence check waits {@link #silence} from then ({@link #silenceCutoff}). */
    private final Instant started;
    private final Duration orphanAge;
    private final Duration keep;
    private final SealHistory seals;
    private final StoreShares shares;
    private final InstantSource clock;
    private final String collector;
    /**
     * The {@code unforwarded} rows (ids) of the polls and findings of its own this collector stored and is forwarding
     * ({@link #forwarding}), each with its row's time: when it was stored, or last renewed ({@link #renewed}; epoch
     * ms).
     */
    private final Map<Object, Long> forwarding = new ConcurrentHashMap<>();

    /**
     * @param hostKeys  the signing key of a host, by name ({@code vigil.collect.hostKey.<host>})
     * @param maxAge    the oldest signature timestamp accepted
     * @param maxRecord the largest record parsed, in bytes
     * @param quarantineMax how many rows the quarantine holds before failed records are counted, not kept
     * @param silence   how long a host may go without a heartbeat
     * @param orphanAge how long findings this collector stored are left to it to forward
     * @param keep      how long the fleet store keeps findings, quarantined records and past seals
     * @param seals     the decision whether a seal changed unannounced (BASELINE_TAMPERED)
     * @param shares    what each host's findings take of the fleet store, and the most they may
     * @param collector the collector's own host name ({@code vigil.host}), the host of its REJECTED findings
     */
    public FleetRecords(Function<String, Optional<String>> hostKeys, Duration maxAge, int maxRecord,
                        long quarantineMax, Duration silence, Duration orphanAge, Duration keep, SealHistory seals,
                        StoreShares shares, String collector, InstantSource clock) {
        this.hostKeys = hostKeys;
        this.collector = collector;
        this.maxAge = maxAge;
        this.maxRecord = maxRecord;
        this.quarantineMax = quarantineMax;
        this.silence = silence;
        this.orphanAge = orphanAge;
        this.keep = keep;
        this.seals = seals;
        this.shares = shares;
        this.clock = clock;
        this.started = clock.instant();
    }

    /**
     * Checks a report record; returns the rows of its findings for the findings table (one per finding, the id
     * {@code processedId/index}: {@link #processedId}, stored at {@code stored}, epoch ms), or null with
     * {@link #QUARANTINE} set. Each row holds the bytes of its finding's JSON ({@link #JSON_BYTES}) for its host's share of
     * the fleet store ({@link #unprocessed}).
     */
    private List<Map<String, Object>> report(Exchange exchange, long stored) {
        Message in = exchange.getMessage();
        Optional<String> value = checked(in);
        if (value.isEmpty()) {
            return null;
        }
        Report report;
        try {
            report = Report.fromJson(value.get());
        } catch (RuntimeException e) {
            return quarantined(in, "not a report: " + bounded(String.valueOf(e.getMessage()), KEPT_HEADER));
        }
        String malformed = malformed(report);
        if (malformed != null) {
            return quarantined(in, malformed);
        }
        if (report.created().isBefore(clock.instant().minus(remembered()))) {
            return quarantined(in, "made before the collector's memory of report ids (vigil.history.keep): it may be"
                    + " stored already");
        }
        String host = in.getHeader(HOST, String.class);
        if (!host.equals(report.host()) || report.findings().stream().anyMatch(f -> !host.equals(f.host()))) {
            return quarantined(in, "the report names another host than its key");
        }
        if (!report.id().equals(header(in, FleetRecord.ID))) {
            return quarantined(in, "the report id differs from its " + FleetRecord.ID + " header");
        }
        String processed = processedId(host, report.id());
        in.setHeader(PROCESSED_ID, processed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < report.findings().size(); i++) {
            Finding f = report.findings().get(i);
            Finding shared = new Finding(f.source(), KINDS.getOrDefault(f.kind(), f.kind()), f.subject(), host, f.time(),
                    f.severity(), f.details());
            Map<String, Object> row = row(processed + "/" + i, report.id(), shared, stored);
            row.put(JSON_BYTES, (long) ReportParts.utf8Length((String) row.get("finding")));
            rows.add(row);
        }
        return rows;
    }

    /**
     * The id a report is processed under (CAMEL_MESSAGEPROCESSED's messageId) and the prefix of its findings' ids: its
     * report id, then a digest of its host. A report id is its host's to choose: by the id alone, a host that learnt
     * another's report id (read from the topic, or from an alert the other sent elsewhere first) had its own report
     * taken for the other's, and the other's dropped as a duplicate. A digest, not the name: messageId holds 100
     * characters, a host name up to 253. Eight bytes of it: hosts are named by the collector's configuration (a key
     * each), not by a sender, and the ids are in every index a flood writes (the look-up's IN list of a second key per
     * report, for rows older collectors kept, cost PostgreSQL a third more CPU; bench/README.md). The report id
     * comes first, so a poll's rows (time-ordered UUIDs) stay together in the indexes.
     */
    private String processedId(String host, String reportId) {
        return reportId + "/" + knownHosts.get(host).digest();
    }

    /** The first 8 bytes of SHA-256 of the host's name, in hex ({@link #processedId}). */
    private static String hostDigest(String host) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(host.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * Why a report parsed from a signed record cannot be stored, or null: a report or finding of source fleet (the
     * collector's own, about the host: REJECTED, HOST_SILENT, BASELINE_TAMPERED), a finding its JSON left a field out
     * of, or whose time is beyond the store's (a {@link Report} itself refuses a missing id, host or finding). A host's key
     * signs whatever that host's root sends, so a report is as hostile as any record; one that cannot be stored would
     * fail its poll, and every poll after it.
     */
    static String malformed(Report report) {
        if (report.source() == Source.FLEET) {
            return "a report of source fleet, which only the collector makes";
        }
        for (Finding f : report.findings()) {
            if (f.source() == null || f.kind() == null || f.subject() == null || f.time() == null || f.severity() == null) {
                return "a finding without its source, kind, subject, time or severity";
            }
            if (f.source() == Source.FLEET) {
                // pooled with the collector's own verdicts on the host, it could bury its BASELINE_TAMPERED
                return "a finding of source fleet, which only the collector makes";
            }
            try {
                f.time().toEpochMilli();
            } catch (ArithmeticException e) {
                return "a finding's time beyond what the fleet store keeps: " + f.time();
            }
        }
        return null;
    }

    /**
     * A poll of the reports topic (the body: the records' exchanges, camel-kafka's batching consumer) in parts of
     * consecutive records, each at most {@link #PART_BYTES} of values (a record larger than that alone), which route
     * collect-reports checks, stores and forwards in turn. A poll is up to 2,000 records of up to
     * {@code vigil.collect.maxRecord} each: checked whole, the findings of a poll of full records (a host, or whoever
     * holds its key, fills each with small findings) nearly filled the launcher's 1 GB heap (bench/README.md).
     */
    public List<List<Exchange>> parts(Exchange poll) {
        List<List<Exchange>> parts = new ArrayList<>();
        List<Exchange> part = new ArrayList<>();
        long bytes = 0;
        for (Object item : poll.getMessage().getBody(List.class)) {
            Exchange record = (Exchange) item;
            int size = bytes(record.getMessage().getBody()).length;
            if (!part.isEmpty() && bytes + size > PART_BYTES) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = 0;
            }
            part.add(record);
            bytes += size;
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /**
     * Checks the records of a part of a poll ({@link #parts}): the quarantine rows of those that fail with the
     * findings rows of their REJECTED, the findings rows of the others by {@link #processedId}. The findings rows
     * share one stored time, their part's, so the first finding of its {@code unforwarded} row has it too (retention
     * keeps what that row names by it).
     */
    public CheckedRecords check(List<Exchange> records) {
        long stored = clock.millis();
        List<Map<String, Object>> quarantined = new ArrayList<>();
        Map<Object, Map<String, Object>> rejected = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> reports = new LinkedHashMap<>();
        Map<String, Exchange> reportRecords = new HashMap<>();
        for (Exchange record : records) {
            Message in = record.getMessage();
            List<Map<String, Object>> rows = orUnreadable(in, () -> report(record, stored));
            if (rows == null) {
                failed(record, stored, quarantined, rejected);
            } else if (reports.putIfAbsent(in.getHeader(PROCESSED_ID, String.class), rows) == null) {
                reportRecords.put(in.getHeader(PROCESSED_ID, String.class), record);
            }
        }
        return new CheckedRecords(quarantined, List.copyOf(rejected.values()), reports, List.of(), reportRecords);
    }

    /**
     * A record that failed its checks: its quarantine row, and the findings row of its REJECTED, stored at
     * {@code stored}.
     */
    private void failed(Exchange record, long stored, List<Map<String, Object>> quarantined,
                        Map<Object, Map<String, Object>> rejected) {
        Map<String, Object> quarantine = quarantine(record);
        Map<String, Object> finding = rejected(quarantine, stored);
        // the same record twice in a poll (its partition given back to this collector while its records waited in
        // camel-kafka's batch): one REJECTED, not a duplicate id that fails the poll's INSERT
        if (rejected.putIfAbsent(finding.get("id"), finding) == null) {
            quarantined.add(quarantine);
        }
    }

    /**
     * The records without the reports already processed ({@code known}: rows with the {@code id} of each), and with the
     * reports that would take their host's findings past its share of the fleet store ({@link StoreShares}, counting the
     * host's reports before it in the part) quarantined, each with a REJECTED saying so, within the quarantine's own
     * bound ({@link #bounded}, after this): a host's findings are its root's to write, and one host flooding would fill
     * the store's disk, and every host's evidence with it. A poll read again finds its stored reports processed before
     * it weighs the rest; one it quarantined before may fit now (its host's findings deleted since) and be stored too,
     * never neither.
     */
    public CheckedRecords unprocessed(CheckedRecords checked, List<Map<String, Object>> known) {
        Map<String, List<Map<String, Object>>> reports = new LinkedHashMap<>(checked.reports());
        known.forEach(row -> reports.remove(String.valueOf(row.get("id"))));
        List<Map<String, Object>> quarantined = new ArrayList<>(checked.quarantined());
        Map<Object, Map<String, Object>> rejected = new LinkedHashMap<>();
        checked.rejected().forEach(row -> rejected.put(row.get("id"), row));
        Map<String, Long> inPart = new HashMap<>();
        for (Iterator<Map.Entry<String, List<Map<String, Object>>>> it = reports.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Map<String, Object>>> report = it.next();
            List<Map<String, Object>> rows = report.getValue(); // a report has a finding at least
            String host = (String) rows.get(0).get("host");
            long bytes = rows.stream().mapToLong(row -> (Long) row.get(JSON_BYTES)).sum();
            long before = inPart.getOrDefault(host, 0L);
            if (shares.fits(host, before + bytes)) {
                inPart.put(host, before + bytes);
                continue;
            }
            Exchange record = checked.records().get(report.getKey());
            record.getMessage().setHeader(QUARANTINE, "its host's findings would pass their share of the fleet store"
                    + " (vigil.collect.hostMaxBytes: " + shares.max() + " bytes; " + (shares.used(host) + before)
                    + " stored, " + bytes + " more in this report)");
            failed(record, (Long) rows.get(0).get("stored"), quarantined, rejected);
            it.remove();
        }
        return new CheckedRecords(quarantined, List.copyOf(rejected.values()), reports);
    }

    /**
     * The ids of the REJECTED a part's failed records may store, for the look-up of those stored before: each record's,
     * and the overflow REJECTED of each partition they came from, for the hour of their check ({@link #bounded}).
     */
    public List<String> rejectedIds(CheckedRecords checked) {
        Set<String> ids = new LinkedHashSet<>();
        checked.rejected().forEach(row -> ids.add((String) row.get("id")));
        checked.quarantined().forEach(row -> ids.add(overflowId(row)));
        return List.copyOf(ids);
    }

    /**
     * The hours (their starts, epoch ms) whose overflow rows tell what a part's failed records had counted before:
     * each record's, and the hour before it (a poll read again after an hour's turn).
     */
    public List<Long> overflowHours(CheckedRecords checked) {
        return checked.quarantined().stream().map(FleetRecords::hourOf)
                .flatMap(hour -> Stream.of(hour, hour - HOUR_MS)).distinct().toList();
    }

    /**
     * A part's failed records as the quarantine keeps them ({@code known}: the findings rows, with the {@code id} of
     * each, of the REJECTED of {@link #rejectedIds} stored before; {@code kept}: the quarantine's rows now;
     * {@code counted}: the quarantine_overflow rows of {@link #overflowHours}). A record whose REJECTED is stored was
     * kept before (its poll read again) and is left out. The others are kept, each its row and its REJECTED, while the
     * quarantine holds fewer than {@code vigil.collect.quarantineMax} rows (about: collectors storing parts at once
     * each count the rows before the other's are in); beyond, they are counted, not kept: one quarantine_overflow row
     * a partition and hour (records, bytes, first and last offset), and one REJECTED for it, the first time. A record
     * at or before the last offset its partition's rows of this hour and the one before have counted was counted
     * before (its poll read again, maybe again and again while a later step fails) and is neither kept nor counted
     * again; on a topic made anew (offsets from 0 again) that leaves records uncounted for up to two hours. Whoever
     * can write to the topics (any host) would otherwise fill the fleet store's disk with forged records at the rate
     * the collector quarantines them (64 KiB kept of each, 15,000 a second here: bench/README.md), and every host's
     * findings with it.
     */
    public CheckedRecords bounded(CheckedRecords checked, List<Map<String, Object>> known, long kept,
                                  List<Map<String, Object>> counted) {
        Set<Object> stored = known.stream().map(row -> row.get("id")).collect(Collectors.toSet());
        Map<Object, Map<String, Object>> rejectedById = new HashMap<>();
        checked.rejected().forEach(row -> rejectedById.put(row.get("id"), row));
        Map<String, Long> countedUpTo = new HashMap<>();
        counted.forEach(row -> countedUpTo.merge(partitionKey(row.get("topic"), row.get("partition_no")),
                ((Number) row.get("last_offset")).longValue(), Math::max));
        List<Map<String, Object>> quarantined = new ArrayList<>();
        List<Map<String, Object>> rejected = new ArrayList<>();
        Map<String, Map<String, Object>> overflow = new LinkedHashMap<>();
        long room = quarantineMax - kept;
        for (Map<String, Object> row : checked.quarantined()) {
            Map<String, Object> itsRejected = rejectedById.get(rejectedId(row));
            Long upTo = countedUpTo.get(partitionKey(row.get("topic"), row.get("partition")));
            if (stored.contains(itsRejected.get("id"))
                    || (upTo != null && ((Number) row.get("offset")).longValue() <= upTo)) {
                continue;
            }
            if (room > 0) {
                room--;
                quarantined.add(row);
                rejected.add(itsRejected);
            } else {
                counted(overflow.computeIfAbsent(overflowId(row), id -> overflow(row, itsRejected.get("stored"))), row);
            }
        }
        overflow.forEach((id, row) -> {
            if (!stored.contains(id)) {
                rejected.add(overflowRejected(id, row));
            }
        });
        return new CheckedRecords(quarantined, rejected, checked.reports(), List.copyOf(overflow.values()), Map.of());
    }

    /** A topic's partition as "topic/partition", whether the partition came as an Integer or a Long. */
    private static String partitionKey(Object topic, Object partition) {
        return topic + "/" + ((Number) partition).intValue();
    }

    /** An hour in ms: the span of a quarantine_overflow row. */
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    /** The start of the hour of a quarantine row's check (epoch ms), which its overflow row counts in. */
    private static long hourOf(Map<String, Object> quarantine) {
        long time = ((Number) quarantine.get("time")).longValue();
        return time - Math.floorMod(time, HOUR_MS);
    }

    /** The id of the REJECTED of the overflow row a quarantine row would be counted in. */
    private static String overflowId(Map<String, Object> quarantine) {
        return "rejected:" + quarantine.get("topic") + "/" + quarantine.get("partition") + "/overflow:"
                + Instant.ofEpochMilli(hourOf(quarantine));
    }

    /**
     * An overflow row (quarantine_overflow) of the partition and hour of a quarantine row, nothing counted yet; its
     * REJECTED is stored at {@code stored}, as the part's findings are.
     */
    private static Map<String, Object> overflow(Map<String, Object> quarantine, Object stored) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("topic", quarantine.get("topic"));
        row.put("partition", quarantine.get("partition"));
        row.put("hour", hourOf(quarantine));
        row.put("firstOffset", quarantine.get("offset"));
        row.put("lastOffset", quarantine.get("offset"));
        row.put("records", 0L);
        row.put("bytes", 0L);
        row.put("time", quarantine.get("time"));
        row.put("stored", stored);
        return row;
    }

    /** Counts a failed record (its quarantine row, not kept) in its overflow row. */
    private static void counted(Map<String, Object> overflow, Map<String, Object> quarantine) {
        long offset = ((Number) quarantine.get("offset")).longValue();
        overflow.put("firstOffset", Math.min(((Number) overflow.get("firstOffset")).longValue(), offset));
        overflow.put("lastOffset", Math.max(((Number) overflow.get("lastOffset")).longValue(), offset));
        overflow.put("records", (Long) overflow.get("records") + 1);
        overflow.put("bytes", (Long) overflow.get("bytes") + ((Number) quarantine.get("size")).longValue());
    }

    /** The rows of CAMEL_MESSAGEPROCESSED for the records' reports, processed now. */
    public List<Map<String, Object>> processed(CheckedRecords checked) {
        Timestamp now = Timestamp.from(clock.instant());
        return checked.reports().keySet().stream().map(id -> Map.<String, Object>of("id", id, "createdAt", now)).toList();
    }

    /**
     * Commits each partition's offset past a poll's last record of it (the body: the records' exchanges): called once
     * what the poll carried is stored.
     */
    public void commitPoll(List<Exchange> records) {
        Map<String, KafkaManualCommit> commits = new LinkedHashMap<>();
        for (Exchange record : records) {
            Message in = record.getMessage();
            commits.put(in.getHeader(KafkaConstants.TOPIC) + "/" + in.getHeader(KafkaConstants.PARTITION), manualCommit(in));
        }
        commits.values().forEach(KafkaManualCommit::commit);
    }

    /**
     * Checks a poll of the heartbeats topic (the body: the records' exchanges): the quarantine rows of those that fail
     * with the findings rows of their REJECTED, and the hosts rows of the others ({@link #checkedHeartbeat}), each with
     * the {@code partition} and {@code offset} it was read from, in the order they came.
     */
    public CheckedHeartbeats checkHeartbeats(List<Exchange> records) {
        long stored = clock.millis();
        List<Map<String, Object>> quarantined = new ArrayList<>();
        Map<Object, Map<String, Object>> rejected = new LinkedHashMap<>();
        List<Map<String, Object>> heartbeats = new ArrayList<>();
        for (Exchange record : records) {
            Message in = record.getMessage();
            Map<String, Object> row = orUnreadable(in, () -> checkedHeartbeat(in));
            if (row == null) {
                failed(record, stored, quarantined, rejected);
            } else {
                row.put("partition", in.getHeader(KafkaConstants.PARTITION, Integer.class));
                row.put("offset", in.getHeader(KafkaConstants.OFFSET, Long.class));
                heartbeats.add(row);
            }
        }
        CheckedRecords failed = new CheckedRecords(quarantined, List.copyOf(rejected.values()), Map.of());
        return new CheckedHeartbeats(failed, heartbeats);
    }

    /**
     * Checks a heartbeat record; returns its row for the hosts table (name, the heartbeat's times, its sources'
     * modes, its seal, and the heartbeat JSON whole), or null with {@link #QUARANTINE} set.
     */
    private Map<String, Object> checkedHeartbeat(Message in) {
        Optional<String> value = checked(in);
        if (value.isEmpty()) {
            return null;
        }
        JsonNode beat;
        try {
            beat = Json.mapper().readTree(value.get());
        } catch (Exception e) {
            return quarantined(in, "not a heartbeat: " + bounded(String.valueOf(e.getMessage()), KEPT_HEADER));
        }
        if (beat == null || !beat.isObject() || !in.getHeader(HOST, String.class).equals(beat.path("host").asText())) {
            return quarantined(in, "the heartbeat names another host than its key");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", in.getHeader(HOST, String.class));
        // The signed time it was sent, not when it was read: a heartbeat read from a backlog says nothing of now.
        Instant sent = Instant.ofEpochSecond(Long.parseLong(header(in, FleetRecord.TIMESTAMP)));
        row.put("lastHeartbeat", Math.min(clock.instant().toEpochMilli(), sent.toEpochMilli()));
        row.put("sent", sent);
        row.put("signedAt", sent.toEpochMilli());
        row.put("version", storable(beat.path("version").asText(""), KEPT_HEADER));
        row.put("startedAt", storable(beat.path("startedAt").asText(""), KEPT_HEADER));
        row.put("sentAt", storable(beat.path("sentAt").asText(""), KEPT_SENT_AT));
        row.put("mode", storable(beat.path("sources").path("files").asText(""), KEPT_HEADER));
        row.put("lastFullCheck", storable(beat.path("lastFullCheck").asText(""), KEPT_HEADER));
        row.put("seal", storable(beat.path("seal").path("value").asText(""), KEPT_SEAL));
        row.put("sealRows", beat.path("seal").path("rows").asLong(0));
        // whole, but for a NUL: one may follow the JSON, which its parser does not read to the end
        row.put("heartbeat", storable(value.get(), Integer.MAX_VALUE));
        return row;
    }

    /** The quarantine table's row of the record in the exchange: where it was, what it claimed, a bounded copy. */
    private Map<String, Object> quarantine(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] raw = bytes(in.getBody());
        Map<String, Object> headers = new LinkedHashMap<>();
        for (String name : List.of(FleetRecord.ID, FleetRecord.HOST, FleetRecord.TIMESTAMP, FleetRecord.SIGNATURE)) {
            headers.put(name, header(in, name));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("topic", storable(String.valueOf(in.getHeader(KafkaConstants.TOPIC)), KEPT_HEADER));
        row.put("partition", in.getHeader(KafkaConstants.PARTITION, 0, Integer.class));
        row.put("offset", in.getHeader(KafkaConstants.OFFSET, 0L, Long.class));
        row.put("host", claimedHost(in));
        row.put("reason", storable(in.getHeader(QUARANTINE, String.class), KEPT_HEADER));
        row.put("headers", Json.write(headers));
        row.put("size", raw.length);
        row.put("raw", Base64.getEncoder().encodeToString(Arrays.copyOf(raw, Math.min(raw.length, KEPT_BYTES))));
        row.put("time", clock.instant().toEpochMilli());
        return row;
    }

    /**
     * The critical REJECTED finding of a quarantined record, from its quarantine row, as a findings row. It is the
     * collector's finding, on the collector's host, and names the host the record claims in its details: a
     * record's claim is not proof of anything, and as a finding's host each name a forger made up would open a
     * report pool of its own, unbounded in number and each with its own ten critical reports a minute.
     */
    private Map<String, Object> rejected(Map<String, Object> quarantine, long stored) {
        String where = where(quarantine);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", quarantine.get("reason"));
        details.put("record", where);
        details.put("size", quarantine.get("size"));
        details.put("claimedHost", quarantine.get("host"));
        Finding rejected = new Finding(Source.FLEET, FleetKind.REJECTED.name(), "record " + where + " claiming host "
                + quarantine.get("host"), collector, clock.instant(), Severity.CRITICAL, details);
        return row(rejectedId(quarantine), "", rejected, stored);
    }

    /** Where a quarantined record was read: topic/partition/offset. */
    private static String where(Map<String, Object> quarantine) {
        return quarantine.get("topic") + "/" + quarantine.get("partition") + "/" + quarantine.get("offset");
    }

    /** The id of the REJECTED of a quarantine row: where its record was read. */
    private static String rejectedId(Map<String, Object> quarantine) {
        return "rejected:" + where(quarantine);
    }

    /**
     * The critical REJECTED of an overflow row (its id: {@link #overflowId}): records of its partition failed their
     * checks beyond the quarantine's bound this hour, and are counted in quarantine_overflow, not kept.
     */
    private Map<String, Object> overflowRejected(String id, Map<String, Object> overflow) {
        String partition = overflow.get("topic") + "/" + overflow.get("partition");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "the quarantine holds vigil.collect.quarantineMax (" + quarantineMax
                + ") records: those that fail their checks are counted in table quarantine_overflow, not kept");
        details.put("partition", partition);
        details.put("hour", Instant.ofEpochMilli((Long) overflow.get("hour")).toString());
        details.put("firstOffset", overflow.get("firstOffset"));
        Finding rejected = new Finding(Source.FLEET, FleetKind.REJECTED.name(), "records of " + partition
                + " failed their checks beyond the quarantine's bound: counted, not kept", collector, clock.instant(),
                Severity.CRITICAL, details);
        return row(id, "", rejected, ((Number) overflow.get("stored")).longValue());
    }

    /** The critical HOST_SILENT finding of a host the silence check returned (its hosts row), as a findings row. */
    public Map<String, Object> silent(Map<String, Object> host) {
        Instant last = Instant.ofEpochMilli(((Number) host.get("last_heartbeat")).longValue());
        Finding silent = new Finding(Source.FLEET, FleetKind.HOST_SILENT.name(), "no heartbeat since " + last, (String) host.get("name"),
                clock.instant(), Severity.CRITICAL, Map.of("lastHeartbeat", last.toString(), "silence", silence.toString()));
        return row("silent:" + host.get("name") + ":" + last.toEpochMilli(), "", silent);
    }

    /** The HOST_BACK finding of a silent host whose heartbeat came again, as a findings row. */
    public Map<String, Object> back(Exchange exchange) {
        String host = exchange.getMessage().getHeader(HOST, String.class);
        Instant now = clock.instant();
        Finding back = new Finding(Source.FLEET, FleetKind.HOST_BACK.name(), "heartbeats again", host, now, Severity.WARNING, Map.of());
        return row("back:" + host + ":" + now.toEpochMilli(), "", back);
    }

    /** A host's seal as the fleet store last had it (a hosts row: name, seal), at start: no verdict on it. */
    public void sealKnown(Map<String, Object> host) {
        seals.known((String) host.get("name"), (String) host.get("seal"));
    }

    /**
     * The seal a heartbeat showed (its hosts row), seen now by the collector's clock, after the host's decision state
     * as the fleet store keeps it ({@code kept}: none for a host not stored yet, else one row of its seal in hosts and
     * its state in seal_states, null if it has none; a host without a state is at its seal, no change waiting). The
     * state is taken from the store at each heartbeat: another collector may have written it since this one last read
     * a heartbeat of the host, and a failed attempt at this heartbeat (rolled back) left this one's ahead of the store.
     * Returns the state to keep (one seal_states row: host, state), or none when the heartbeat changed nothing. A seal
     * the decision did not take (beyond the host's {@code vigil.collect.sealsPerHour}, or shown by a heartbeat sent
     * before the current seal's) is set back in the heartbeat to the seal its hosts row holds ({@code seal} and
     * {@code seal_rows} of {@code kept}), so neither that row nor the seal history takes it either.
     */
    public List<Map<String, Object>> sealShown(Map<String, Object> heartbeat, List<Map<String, Object>> kept) {
        String host = (String) heartbeat.get("name");
        if (kept.isEmpty()) {
            seals.restore(host, new SealHistory.HostState(null, null, List.of(), null, null, 0));
        } else if (kept.get(0).get("state") != null) {
            sealRestored(kept.get(0));
        } else {
            String seal = (String) kept.get(0).get("seal");
            seals.restore(host, new SealHistory.HostState(seal.isEmpty() ? null : seal, null, List.of(), null, null, 0));
        }
        String seal = (String) heartbeat.get("seal");
        Optional<SealHistory.HostState> changed = seals.heartbeat(host, seal, clock.instant(), (Instant) heartbeat.get("sent"));
        if (changed.isEmpty() && !kept.isEmpty() && !seal.equals(seals.current(host))) {
            heartbeat.put("seal", kept.get(0).get("seal"));
            heartbeat.put("sealRows", kept.get(0).get("seal_rows"));
        }
        return changed.map(state -> sealState(host, state)).stream().toList();
    }

    /** A host's decision state as the fleet store keeps it (a seal_states row: host, state): at start, and before a heartbeat. */
    public void sealRestored(Map<String, Object> row) {
        seals.restore((String) row.get("host"), Json.read((String) row.get("state"), SealHistory.HostState.class));
    }

    /**
     * The seal changes whose tolerance has passed, as the findings rows of their critical BASELINE_TAMPERED, each
     * with what the look-up of its announcements takes ({@code sealFrom}; {@code sealShown}: epoch ms, -1 when not
     * known; {@code sealMentioned}). They are given again (with the same ids, so stored once) until {@link #judgedKept}
     * is told they are judged.
     */
    public List<Map<String, Object>> tampered() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SealHistory.Due due : seals.due(clock.instant())) {
            SealHistory.Change c = due.change();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", c.from());
            details.put("to", c.to());
            details.put("seen", c.seen().toString());
            if (c.fromShown() != null) {
                details.put("fromShown", c.fromShown().toString());
            }
            Finding tampered = new Finding(Source.FLEET, FleetKind.BASELINE_TAMPERED.name(), "baseline seal changed with no ACCEPTED report",
                    due.host(), clock.instant(), Severity.CRITICAL, details);
            Map<String, Object> row = row("tampered:" + due.host() + ":" + c.to() + ":" + c.seen().toEpochMilli(), "", tampered);
            row.put(SEAL_CHANGE, due);
            row.put("sealFrom", c.from());
            row.put("sealShown", c.fromShown() == null ? -1L : c.fromShown().toEpochMilli());
            row.put("sealMentioned", "%" + Database.likeLiteral(mentioned(c.to())).replace(REPLACED_NUL, "%") + "%");
            rows.add(row);
        }
        return rows;
    }

    /**
     * A seal as the JSON of a finding naming it holds it, which the look-up of its announcements searches: a quote or
     * a backslash in it is escaped there. A NUL the heartbeat's seal had is U+FFFD here ({@link #storable}) and
     * {@code \u0000} there, so the look-up takes any text in its place (the exact comparison decides).
     */
    private static String mentioned(String seal) {
        String json = Json.write(seal);
        return json.substring(1, json.length() - 1);
    }

    /**
     * Whether none of {@code accepted} (rows with the JSON of ACCEPTED findings of the change's host, made since its
     * old seal was first shown) announces the new seal of the change a {@link #tampered} row stands for.
     */
    public boolean unannounced(Map<String, Object> change, List<Map<String, Object>> accepted) {
        String to = ((SealHistory.Due) change.get(SEAL_CHANGE)).change().to();
        return accepted.stream().map(row -> Json.read((String) row.get("finding"), Finding.class).details().get(Details.SEAL))
                .noneMatch(seal -> seal instanceof String s && storable(s, KEPT_SEAL).equals(to));
    }

    /** The {@link #tampered} rows, judged: their changes by host (host; the changes), to take out of each host's state. */
    public List<Map<String, Object>> judgedByHost(List<Map<String, Object>> tamperedRows) {
        Map<String, List<SealHistory.Due>> byHost = new TreeMap<>();
        for (Map<String, Object> row : tamperedRows) {
            SealHistory.Due due = (SealHistory.Due) row.get(SEAL_CHANGE);
            byHost.computeIfAbsent(due.host(), h -> new ArrayList<>()).add(due);
        }
        List<Map<String, Object>> hosts = new ArrayList<>();
        byHost.forEach((host, judged) -> hosts.add(Map.of("host", host, SEAL_CHANGE, judged)));
        return hosts;
    }

    /**
     * A host's decision state as the fleet store keeps it ({@code kept}: its seal_states row's state, or no row) without
     * its changes judged ({@code judged}, a {@link #judgedByHost} row): the write that keeps it so if the store's state
     * is still the one read (host; state; was, the state read), or null when that state waits on none of them.
     */
    public Map<String, Object> withoutJudged(Map<String, Object> judged, List<Map<String, Object>> kept) {
        if (kept.isEmpty()) {
            return null;
        }
        String was = (String) kept.get(0).get("state");
        List<SealHistory.Change> changes = judgedChanges(judged).stream().map(SealHistory.Due::change).toList();
        return Json.read(was, SealHistory.HostState.class).without(changes)
                .map(state -> Map.<String, Object>of("host", judged.get("host"), "state", Json.write(state), "was", was))
                .orElse(null);
    }

    /** Takes a host's changes judged (a {@link #judgedByHost} row) out of this collector's memory, once the store's state is without them. */
    public void judgedKept(Map<String, Object> judged) {
        seals.judged(judgedChanges(judged));
    }

    @SuppressWarnings("unchecked")
    private static List<SealHistory.Due> judgedChanges(Map<String, Object> judged) {
        return (List<SealHistory.Due>) judged.get(SEAL_CHANGE);
    }

    private static Map<String, Object> sealState(String host, SealHistory.HostState state) {
        return Map.of("host", host, "state", Json.write(state));
    }

    /**
     * The time before which a processed report id may be forgotten: {@link #remembered} and vigil.collect.maxAge
     * more (a host's clock may be that far ahead of the collector's, its signatures still good), so a report made
     * since is still known when it comes again.
     */
    public Timestamp processedCutoff() {
        return Timestamp.from(clock.instant().minus(remembered()).minus(maxAge));
    }

    /**
     * How long a report may be in coming, again, and still be known: as long as the fleet store keeps findings
     * (vigil.history.keep), and no shorter than a signature stays good (vigil.collect.maxAge). A host signs each
     * attempt anew, so a report it sent and is not sure was taken (the broker's answer lost, then the host down
     * for days) comes again with a fresh signature; its id is all that tells it from a new one.
     */
    private Duration remembered() {
        return keep.compareTo(maxAge) > 0 ? keep : maxAge;
    }

    /** The time (epoch ms) before which the fleet store's findings, quarantined records and past seals go. */
    public long keptCutoff() {
        return clock.instant().minus(keep).toEpochMilli();
    }

    /**
     * The time (epoch ms) before which an {@code unforwarded} row's time (its poll's or finding's storing, or its
     * collector's last renewal of its hold), or an older collector's own finding's storing, makes findings not
     * forwarded orphans, which any collector forwards (routes fleet-orphaned-polls and -findings): their own collector
     * was killed, or its report pipeline failed.
     */
    public long orphanCutoff() {
        return clock.instant().minus(orphanAge).toEpochMilli();
    }

    /**
     * A part of a poll's findings rows are stored ({@link #parts}; or one finding of the collector's own,
     * {@link #forwardingFinding}): until the exchange is done, however it ends, this collector renews its hold on their
     * {@code unforwarded} row ({@link #renewal}), so no other collector takes them for orphans while its report
     * pipeline is slower than {@code orphanAge}, and forwards them a second time.
     */
    public void forwarding(List<Map<String, Object>> rows, Exchange exchange) {
        if (rows.isEmpty()) {
            return;
        }
        Object id = unforwardedId(rows);
        forwarding.put(id, storedAt(rows));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                forwarding.remove(id);
            }
        });
    }

    /**
     * The rows (host, bytes) a part's findings rows add to table host_shares, in the transaction that stores them: each
     * report's finding counts in its host's share of the fleet store ({@link StoreShares}); the collector's own findings
     * (REJECTED and the rest) count in none.
     */
    public List<Map<String, Object>> shareAdditions(List<Map<String, Object>> rows) {
        return StoreShares.additions(rows, JSON_BYTES);
    }

    /** A part's findings rows are stored, and what they add to their hosts' shares ({@link #shareAdditions}) with them. */
    public void storedShares(List<Map<String, Object>> additions) {
        shares.added(additions);
    }

    /**
     * What this collector stored of each host's findings since it last read the totals, for {@link #sharesRead} once
     * they are read (route fleet-shares).
     */
    public Map<String, Long> sharesBeforeReading() {
        return shares.beforeReading();
    }

    /**
     * The totals of table host_shares (rows: host, bytes), every collector's, read after {@code before}
     * ({@link #sharesBeforeReading}).
     */
    public void sharesRead(List<Map<String, Object>> rows, Map<String, Long> before) {
        Map<String, Long> totals = new HashMap<>();
        rows.forEach(row -> totals.put((String) row.get("host"), ((Number) row.get("bytes")).longValue()));
        shares.read(totals, before);
    }

    /**
     * A finding of the collector's own is stored (its findings row), with an {@code unforwarded} row of its own: held
     * as a poll's are ({@link #forwarding}) until its exchange is done.
     */
    public void forwardingFinding(Map<String, Object> row, Exchange exchange) {
        forwarding(List.of(row), exchange);
    }

    /**
     * The holds to renew now (route fleet-renewals, every second): the ids of the {@code unforwarded} rows this
     * collector is forwarding whose row's time is a quarter of {@code orphanAge} old, with the time to give them in
     * header {@link #RENEWED_AT} (epoch ms). A poll's pipeline usually has it for less than a second, so it is never
     * renewed; a renewal that failed is tried again at the next tick ({@link #renewed} records one only once it is
     * written).
     */
    public List<Object> renewal(Exchange exchange) {
        long now = clock.millis();
        long due = now - orphanAge.toMillis() / 4;
        List<Object> ids = forwarding.entrySet().stream().filter(e -> e.getValue() <= due).map(Map.Entry::getKey).toList();
        exchange.getMessage().setHeader(RENEWED_AT, now);
        return ids;
    }

    /** The holds {@link #renewal} gave, {@code ids} at {@code at}, are written. */
    public void renewed(List<Object> ids, long at) {
        for (Object id : ids) {
            forwarding.computeIfPresent(id, (key, last) -> at);
        }
    }

    /**
     * The time before which a host's last heartbeat makes it silent: vigil.collect.silence ago, but none until that
     * long after this collector started (0). Started after a stop longer than the silence, it finds every host's last
     * heartbeat in the fleet store older than that, those sent meanwhile still in the topic, and reported every host
     * silent before it read them, and then back. Counted from the start, not from a first heartbeat read: a fleet
     * whose hosts have all stopped sends none.
     */
    public long silenceCutoff() {
        Instant now = clock.instant();
        return now.isBefore(started.plus(silence)) ? 0 : now.minus(silence).toEpochMilli();
    }

    /** Whether a heartbeat's hosts row ({@link #checkHeartbeats}) was sent within the silence: one older says nothing of now. */
    public boolean recent(Map<String, Object> heartbeat) {
        return ((Number) heartbeat.get("lastHeartbeat")).longValue() >= clock.instant().minus(silence).toEpochMilli();
    }

    /**
     * The finding of a findings row, to feed the report pipeline: the one it was made from, or, for a row read from
     * the fleet store, its JSON column read.
     */
    public Finding finding(Map<String, Object> row) {
        Object made = row.get(MADE_FROM);
        return made instanceof Finding f ? f : Json.read((String) row.get("finding"), Finding.class);
    }

    /**
     * The {@code unforwarded} row of the findings rows a part of a poll stored (routes/collect/fleet.yaml): its id the
     * first row's (each finding is stored once, so no two such rows share it), the time they were stored (their
     * part's), and their ids, one a line (a finding id is its report's {@link #processedId} and a number, or the
     * collector's own).
     */
    public Map<String, Object> unforwarded(List<Map<String, Object>> rows) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", unforwardedId(rows));
        row.put("stored", storedAt(rows));
        row.put("findings", rows.stream().map(r -> (String) r.get("id")).collect(Collectors.joining("\n")));
        return row;
    }

    /** The time a part of a poll's findings rows were stored, which they share ({@link #check}). */
    private static long storedAt(List<Map<String, Object>> rows) {
        return (Long) rows.get(0).get("stored");
    }

    /** The id of the {@code unforwarded} row of a part's stored findings rows ({@link #unforwarded}). */
    public Object unforwardedId(List<Map<String, Object>> rows) {
        return rows.get(0).get("id");
    }

    /**
     * Whether a list (a poll's stored findings rows, seal decision states) has any. A bean call, not the simple
     * language's {@code ${body.size()}}: Camel's bean language keys its cache by the object it calls, and a list's
     * hash walks every row's every value, twice a call (13 % of the reports consumer's samples in a PostgreSQL flood).
     */
    public boolean any(List<?> rows) {
        return !rows.isEmpty();
    }

    /** The ids of an {@code unforwarded} row's findings, in lists of at most {@link #IDS_PER_LOOKUP}. */
    public List<List<String>> unforwardedIds(Map<String, Object> unforwarded) {
        List<String> ids = List.of(((String) unforwarded.get("findings")).split("\n"));
        List<List<String>> lists = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_LOOKUP) {
            lists.add(ids.subList(from, Math.min(ids.size(), from + IDS_PER_LOOKUP)));
        }
        return lists;
    }

    /** The findings of findings rows, in their order. */
    public List<Finding> findings(List<Map<String, Object>> rows) {
        return rows.stream().map(this::finding).toList();
    }

    /**
     * The findings of findings rows in the order of {@code ids} (as an {@code unforwarded} row lists a poll's, the
     * order they came in), not as selected: a poll's share the time they were stored, and by id a report's eleventh
     * ({@code .../10}) comes before its third, so a path found twice in it would be pooled as its earlier finding.
     */
    public List<Finding> inOrder(List<Map<String, Object>> rows, List<String> ids) {
        Map<Object, Map<String, Object>> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.get("id"), row));
        return ids.stream().map(byId::get).filter(Objects::nonNull).map(this::finding).toList();
    }

    private static KafkaManualCommit manualCommit(Message record) {
        KafkaManualCommit commit = record.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("no manual commit on the exchange: the kafka: endpoint needs allowManualCommit=true");
        }
        return commit;
    }

    /**
     * A findings table row: its id (unique: a record read twice inserts nothing), the report id (empty for the
     * collector's own findings), columns to query by, the finding's JSON.
     */
    private Map<String, Object> row(String id, String reportId, Finding f) {
        return row(id, reportId, f, clock.millis());
    }

    private Map<String, Object> row(String id, String reportId, Finding f, long stored) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("reportId", reportId);
        row.put("host", f.host());
        row.put("source", f.source().text());
        row.put("kind", storable(f.kind(), KEPT_KIND));
        row.put("severity", f.severity().name());
        row.put("subject", storable(f.subject(), Integer.MAX_VALUE));
        row.put("time", f.time().toEpochMilli());
        row.put("stored", stored);
        row.put("finding", Json.write(f));
        row.put(MADE_FROM, f);
        return row;
    }

    /**
     * The record's value as text when its size, host name, host key, signature and encoding pass; otherwise
     * empty, with {@link #QUARANTINE} set. Sets {@link #HOST}.
     */
    private Optional<String> checked(Message in) {
        if (in.getHeader(KafkaConstants.HEADERS) instanceof UnreadableRecords.Marked unread) {
            return reject(in, unread.range().described());
        }
        byte[] raw = bytes(in.getBody());
        String host = claimedHost(in);
        if (raw.length > maxRecord) {
            return reject(in, "larger than vigil.collect.maxRecord (" + raw.length + " > " + maxRecord + " bytes)");
        }
        if (!HOST_NAME.matcher(host).matches() || !host.equals(header(in, FleetRecord.HOST))) {
            return reject(in, "no plain host name as the key and " + FleetRecord.HOST + " header");
        }
        KnownHost known = knownHosts.get(host);
        if (known == null) {
            Optional<String> key = hostKeys.apply(host);
            if (key.isEmpty()) {
                return reject(in, "unknown host (no vigil.collect.hostKey." + host + ")");
            }
            known = knownHosts.computeIfAbsent(host, name -> new KnownHost(name, new WebhookSigner(key.get())));
        }
        String value;
        try {
            value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return reject(in, "not UTF-8");
        }
        if (!known.signer().verify(header(in, FleetRecord.TIMESTAMP), value, header(in, FleetRecord.SIGNATURE), clock.instant(), maxAge)) {
            return reject(in, "bad signature (or a timestamp beyond vigil.collect.maxAge)");
        }
        in.setHeader(HOST, known.name());
        return Optional.of(value);
    }

    /**
     * A record's check ({@code check}: its rows, or null with {@link #QUARANTINE} set), with any exception it throws
     * taken as the record being unreadable: a record is hostile input, and an exception would fail its poll for ever.
     */
    private static <T> T orUnreadable(Message in, Supplier<T> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return quarantined(in, "unreadable: " + e);
        }
    }

    private static <T> T quarantined(Message in, String reason) {
        in.setHeader(QUARANTINE, reason);
        return null;
    }

    private static Optional<String> reject(Message in, String reason) {
        in.setHeader(QUARANTINE, reason);
        return Optional.empty();
    }

    /** The host a record claims, its key, bounded; "(none)" without one. */
    private static String claimedHost(Message in) {
        Object key = in.getHeader(KafkaConstants.KEY);
        return key == null ? "(none)" : storable(key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : key.toString(), 253);
    }

    /**
     * A header of the record itself (its last of that name), as text, bounded; null when absent. Read from the
     * record's headers, which camel-kafka hands over whole: none is copied into the message's headers
     * ({@code headerFilterStrategy=#noRecordHeaders}, CollectConfiguration).
     */
    private static String header(Message in, String name) {
        Header header = in.getHeader(KafkaConstants.HEADERS) instanceof Headers headers ? headers.lastHeader(name) : null;
        if (header == null || header.value() == null) {
            return null;
        }
        return bounded(new String(header.value(), StandardCharsets.UTF_8), KEPT_HEADER);
    }

    private static byte[] bytes(Object body) {
        if (body instanceof byte[] b) {
            return b;
        }
        return body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String bounded(String text, int chars) {
        return text.length() <= chars ? text : text.substring(0, chars);
    }

    /**
     * Text a record gave, as a column of the fleet store takes it: at most {@code chars} characters (a VARCHAR's
     * bound, which PostgreSQL enforces and SQLite does not) and no NUL, which PostgreSQL's text refuses (each becomes
     * U+FFFD). A finding's JSON column keeps the text whole, escaped.
     */
    static String storable(String text, int chars) {
        String cut = bounded(text, chars);
        return cut.indexOf('\u0000') < 0 ? cut : cut.replace("\u0000", REPLACED_NUL);
    }
}
