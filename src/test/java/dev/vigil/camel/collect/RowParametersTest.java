package dev.vigil.camel.collect;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each statement and row gives the values camel-sql's own strategy gives, in the same order. */
class RowParametersTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final RowParameters rowParameters = new RowParameters();
    private final DefaultSqlPrepareStatementStrategy camelSql = new DefaultSqlPrepareStatementStrategy();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void aRowHoldingEveryNameGivesItsValuesInTheStatementsOrder() throws Exception {
        Map<String, Object> row = new HashMap<>();
        row.put("id", "r1/0");
        row.put("time", 1234L);
        row.put("subject", null);
        List<Object> values = values(rowParameters, "INSERT INTO t (time, subject, id, again) VALUES (:?time, :?subject, :?id, :?time)", row);
        assertEquals(Arrays.asList(1234L, null, "r1/0", 1234L), values);
        assertEquals(values(camelSql, "INSERT INTO t (time, subject, id, again) VALUES (:?time, :?subject, :?id, :?time)", row), values);
    }

    @Test
    void namesWrittenWithoutSpacesBetweenThemAreEachFound() throws Exception {
        String query = "INSERT INTO t (a, index_no) VALUES (:?a,:?index)";
        assertEquals(List.of("a", "index"), RowParameters.plainNames(query));
        Map<String, Object> row = Map.of("a", 1L, "index", 2L);
        assertEquals(List.of(1L, 2L), values(rowParameters, query, row));
        assertEquals(values(camelSql, query, row), values(rowParameters, query, row));
    }

    @Test
    void aNameTheRowLacksIsTakenFromTheHeadersAsCamelSqlTakesIt() throws Exception {
        String query = "INSERT INTO t (id, host) VALUES (:?id, :?host)";
        assertEquals(List.of("r1/0", "from-header"), values(rowParameters, query, Map.of("id", "r1/0")));
        assertEquals(values(camelSql, query, Map.of("id", "r1/0")), values(rowParameters, query, Map.of("id", "r1/0")));
    }

    @Test
    void expressionsAndInListsAreLeftToCamelSql() throws Exception {
        assertEquals(List.of(), RowParameters.plainNames("INSERT INTO t (id) VALUES (:?${body[id]})"));
        assertEquals(List.of(), RowParameters.plainNames("SELECT id FROM t WHERE id IN (:?in:ids)"));
        String expression = "INSERT INTO t (id, host) VALUES (:?id, :?${body[host]})";
        Map<String, Object> row = Map.of("id", "r1/0", "host", "web1");
        assertEquals(List.of("r1/0", "web1"), values(rowParameters, expression, row));
        String in = "SELECT id FROM t WHERE id IN (:?in:ids) AND host = :?host";
        Map<String, Object> ids = Map.of("ids", List.of("a", "b"), "host", "web1");
        assertEquals(values(camelSql, in, ids), values(rowParameters, in, ids));
    }

    /** The parameters a strategy gives for a row as the body, with a header {@code host} on the exchange. */
    private List<Object> values(DefaultSqlPrepareStatementStrategy strategy, String query, Map<String, Object> row)
            throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(row);
        exchange.getMessage().setHeader("host", "from-header");
        String prepared = strategy.prepareQuery(query, true, exchange);
        int expected = (int) prepared.chars().filter(c -> c == '?').count();
        List<Object> values = new ArrayList<>();
        for (Iterator<?> it = strategy.createPopulateIterator(query, prepared, expected, exchange, row); it.hasNext(); ) {
            Object value = it.next();
            if (value instanceof Iterator<?> in) {
                in.forEachRemaining(values::add);
            } else {
                values.add(value);
            }
        }
        return values;
    }
}
