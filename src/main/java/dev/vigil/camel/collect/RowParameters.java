package dev.vigil.camel.collect;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code rowParameters} statement strategy of the fleet store's batched INSERTs (routes/collect/fleet.yaml,
 * {@code prepareStatementStrategy=#rowParameters}): camel-sql's own ({@link DefaultSqlPrepareStatementStrategy}), but a
 * statement's named parameters are found once, not again for every row of a batch. camel-sql's strategy runs its
 * regular expressions over the statement for each row and looks each name up in the row, the headers and the
 * exchange's variables through the type converter, twice: 14 to 20 % of the reports consumer's thread in a flood
 * (bench/README.md). No option of camel-sql does this, hence this class.
 * <p>
 * Only what is plainly the same as camel-sql's answer is taken here: a statement whose parameters are all plain names
 * ({@code :#name}, which camel-sql has turned into {@code :?name} before this sees it), and a row that is a map holding
 * every one of them (camel-sql looks in the row first). Anything else, an expression ({@code :#${...}}), an IN list
 * ({@code :#in:}), a name the row lacks (camel-sql then looks in the headers), goes to camel-sql's strategy.
 */
public final class RowParameters extends DefaultSqlPrepareStatementStrategy {

    /** A named parameter as camel-sql has it once its {@code #} placeholder is replaced, and its name if plain. */
    private static final Pattern NAMED = Pattern.compile(":\\?(\\w*)");

    /** The parameter names of each statement seen, in order; empty for a statement left to camel-sql. */
    private final Map<String, List<String>> names = new ConcurrentHashMap<>();

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
                                              Object value) throws SQLException {
        List<String> named = names.computeIfAbsent(query, RowParameters::plainNames);
        if (!named.isEmpty() && named.size() == expectedParams && value instanceof Map<?, ?> row) {
            List<Object> values = new ArrayList<>(named.size());
            for (String name : named) {
                Object parameter = row.get(name);
                if (parameter == null && !row.containsKey(name)) {
                    return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
                }
                values.add(parameter);
            }
            return values.iterator();
        }
        return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
    }

    /** The statement's parameter names in order when every one is a plain name; otherwise none. */
    static List<String> plainNames(String query) {
        List<String> found = new ArrayList<>();
        Matcher parameter = NAMED.matcher(query);
        while (parameter.find()) {
            if (parameter.group(1).isEmpty() || query.startsWith("in:", parameter.start() + 2)) {
                return List.of();
            }
            found.add(parameter.group(1));
        }
        return List.copyOf(found);
    }
}
