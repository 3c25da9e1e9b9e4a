using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LabPortal.Tests.Support;

/// <summary>Reads a SQLite file as plain text (rows and schema) so two databases can be compared line by line.</summary>
public static class SqliteFile
{
    /// <summary>The tables EF and the application made (SQLite's own <c>sqlite_*</c> tables left out).</summary>
    public static async Task<IReadOnlyList<string>> TablesAsync(string path)
    {
        await using var connection = await OpenAsync(path);
        return await ColumnAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    }

    /// <summary>The column names of <paramref name="table"/>, in declaration order.</summary>
    public static async Task<IReadOnlyList<string>> ColumnsAsync(string path, string table)
    {
        await using var connection = await OpenAsync(path);
        return await ColumnAsync(connection, "SELECT name FROM pragma_table_info($name)", table);
    }

    /// <summary>
    /// Every row of <paramref name="table"/> in rowid order, each as <c>column=value</c> pairs sorted by column
    /// name, so a table rebuilt with its columns in another order still reads the same. Only <paramref name="columns"/>
    /// when given (e.g. those an older release's table had), else every column.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RowsAsync(string path, string table, IReadOnlyCollection<string>? columns = null)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        var selected = columns is null ? "*" : string.Join(", ", columns.Select(Quote));
#pragma warning disable CA2100 // The table and column names come from the files' own sqlite_master and table_info, quoted; no user input reaches them.
        command.CommandText = $"SELECT {selected} FROM {Quote(table)} ORDER BY rowid";
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var cells = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                cells[reader.GetName(i)] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }

            rows.Add(string.Join(" | ", cells.Select(c => $"{c.Key}={c.Value}")));
        }

        return rows;
    }

    /// <summary>
    /// The schema as sorted lines: each table's columns (type, not null, default, key position), foreign keys
    /// and indexes (unique, origin, partial, columns, and the statement of those created explicitly). Column
    /// order is left out: a column added by ALTER TABLE comes last, one in CREATE TABLE where it was declared.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SchemaAsync(string path)
    {
        await using var connection = await OpenAsync(path);
        var lines = new List<string>();
        foreach (var table in await ColumnAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        {
            lines.AddRange(await RowsOfAsync(connection, $"table {table} column", "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($name)", table));
            lines.AddRange(await RowsOfAsync(connection, $"table {table} foreign key", "SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list($name)", table));
            foreach (var index in await ColumnAsync(connection, "SELECT name FROM pragma_index_list($name)", table))
            {
                lines.AddRange(await RowsOfAsync(connection, $"table {table} index {index}", "SELECT \"unique\", origin, partial FROM pragma_index_list($table) WHERE name = $name", index, table));
                lines.AddRange(await RowsOfAsync(connection, $"table {table} index {index} column", "SELECT seqno, name FROM pragma_index_info($name)", index));
                lines.AddRange(await RowsOfAsync(connection, $"table {table} index {index} sql", "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $name AND sql IS NOT NULL", index));
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task<SqliteConnection> OpenAsync(string path)
    {
        // Unpooled, so the test holds no handle afterwards; not read-only, because a WAL file without its -shm
        // beside it cannot be opened read-only. Nothing here writes.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static Task<List<string>> ColumnAsync(SqliteConnection connection, string sql, string? name = null) =>
        RowsOfAsync(connection, null, sql, name);

    private static async Task<List<string>> RowsOfAsync(SqliteConnection connection, string? prefix, string sql, string? name, string? table = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (name is not null)
        {
            command.Parameters.AddWithValue("$name", name);
        }

        if (table is not null)
        {
            command.Parameters.AddWithValue("$table", table);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = Enumerable.Range(0, reader.FieldCount)
                .Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "");
            var row = string.Join(" | ", values);
            lines.Add(prefix is null ? row : $"{prefix}: {row}");
        }

        return lines;
    }
}
