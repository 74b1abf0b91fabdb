BlogitsJ(œ£q=OÎÉ<0fK>x0t¼ ¯‘¾âjp=f
=–ðR>¸O)¼u”¾