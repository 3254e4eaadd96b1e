namespace Keyless.Deploy.Storage;

/// <summary>
/// The order S3 lists keys in: by their UTF-8 bytes, which is Unicode code point order. (Ordinal string
/// comparison is UTF-16 code unit order, which differs for characters above U+FFFF against U+E000–U+FFFF.)
/// </summary>
public sealed class S3KeyOrder : IComparer<string>
{
    public static readonly S3KeyOrder Instance = new();

    private S3KeyOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var (left, right) = (x.EnumerateRunes(), y.EnumerateRunes());
        while (true)
        {
            var (hasLeft, hasRight) = (left.MoveNext(), right.MoveNext());
            if (!hasLeft || !hasRight)
            {
                return hasLeft ? 1 : hasRight ? -1 : 0;
            }

            var order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }
}
