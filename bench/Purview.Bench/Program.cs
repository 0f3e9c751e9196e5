Console.WriteLine("usage: ./bench.sh storage");
return 0;
