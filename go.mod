module github.com/zerocall/zerocall

go 1.26
