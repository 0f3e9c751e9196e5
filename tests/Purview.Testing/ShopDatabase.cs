using Microsoft.Data.Sqlite;

namespace Purview.Testing;

/// <summary>
/// A generated SQLite database with known content: 5 tables, 4 foreign keys (orders → customers, order_items → orders,
/// order_items → products, reviews → products), one view, and <paramref name="customers"/> customers with e-mail addresses.
/// </summary>
public static class ShopDatabase
{
    public static readonly string[] Tables = ["customers", "order_items", "orders", "products", "reviews"];

    public static readonly (string From, string To)[] ForeignKeys = [("orders", "customers"), ("order_items", "orders"), ("order_items", "products"), ("reviews", "products")];

    public static void Create(string path, int customers = 200)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        connection.Open();
        using var tx = connection.BeginTransaction();
        Execute(connection, """
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, photo BLOB);
            CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT, price REAL);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), placed_at TEXT);
            CREATE TABLE order_items (order_id INTEGER REFERENCES orders(id), product_id INTEGER REFERENCES products(id), quantity INTEGER,
                                      PRIMARY KEY (order_id, product_id));
            CREATE TABLE reviews (id INTEGER PRIMARY KEY, product_id INTEGER REFERENCES products(id), stars INTEGER, body TEXT);
            CREATE VIEW big_orders AS SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id;
            """);
        for (var i = 1; i <= customers; i++)
        {
            Execute(connection, "INSERT INTO customers (id, name, email, photo) VALUES ($i, $n, $e, x'00ff')", ("$i", i), ("$n", $"Customer {i}"), ("$e", $"person{i}@example.com"));
            Execute(connection, "INSERT INTO orders (id, customer_id, placed_at) VALUES ($i, $i, '2026-11-01')", ("$i", i));
        }

        Execute(connection, "INSERT INTO products (id, title, price) VALUES (1, 'Lamp', 19.5), (2, 'Desk', 120)");
        Execute(connection, "INSERT INTO order_items VALUES (1, 1, 2), (1, 2, 1)");
        Execute(connection, "INSERT INTO reviews VALUES (1, 1, 5, NULL)");
        tx.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
